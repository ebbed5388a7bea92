/** Where the CLI writes and reads, so tests can run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Standard error is a terminal, outside CI: progress is redrawn in place (default: plain lines). */
  interactive?: boolean;
}
