// Escape sequences a terminal acts on: CSI (`ESC [` or U+009B, parameters, one final byte), OSC
// (`ESC ]` or U+009D, up to BEL or ST: window titles, hyperlinks, clipboard writes), DCS, SOS, PM and APC
// strings up to ST, and any other two-byte `ESC x`.
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\s\S]?/g;
// Control characters (C0 but for space, DEL, C1), and the bidirectional overrides and isolates that
// reorder what is shown (the "Trojan Source" characters).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a user's files made safe to print on a terminal, on one line: escape sequences removed whole
 * (so none can move the cursor, recolour, retitle the window or write the clipboard), a tab or line
 * break made a space, and every other control or bidirectional override character shown as `�`.
 * @example neutralizeTerminalText('ok\u001b[2K\rall good') // 'ok all good'
 * @example neutralizeTerminalText('a\tb') // 'a b'
 */
export function neutralizeTerminalText(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/\r\n|[\t\n\r]/g, ' ')
    .replace(CONTROL, '\ufffd');
}
