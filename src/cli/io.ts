/** What a command may do to the outside world; passed in so tests can run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
}
