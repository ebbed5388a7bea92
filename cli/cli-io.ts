/** Where the CLI writes and reads, so tests can run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Standard error is a terminal, outside CI: progress is redrawn in place (default: plain lines). */
  interactive?: boolean;
  /** Standard output is a terminal: `diff` prints text there by default (default: markdown). */
  stdoutIsTerminal?: boolean;
  /** Colour the text report (see `shouldColor`; default: no colour). */
  color?: boolean;
}
