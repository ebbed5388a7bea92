/**
 * At most `max` characters, counted in whole code points, ending with `…` when cut; a text that fits
 * comes back unchanged. An emoji or other astral character is never split in half.
 * @example clip('abcdef', 4) // 'abc…'
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}
