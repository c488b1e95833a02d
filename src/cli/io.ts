/**
 * Where the CLI's subcommands write and how they reach the status server;
 * tests pass their own.
 *
 * @module
 */
import process from "node:process";

export interface CliIo {
  /** Writes text to standard output as is. */
  out(text: string): Promise<void>;
  /** Writes bytes to standard output as is (log streams). */
  write(bytes: Uint8Array): Promise<void>;
  /** Writes text to standard error as is. */
  err(text: string): Promise<void>;
  /** Fetches from the status server. */
  fetch(request: Request): Promise<Response>;
}

function writer(stream: NodeJS.WriteStream): (data: string | Uint8Array) => Promise<void> {
  // Waits for 'drain' when the pipe is full, so a long log does not pile up in memory.
  return (data) => new Promise((resolve) => (stream.write(data) ? resolve() : stream.once("drain", resolve)));
}

/** Standard output and error of this process, and the global fetch. */
export function processIo(): CliIo {
  const out = writer(process.stdout), err = writer(process.stderr);
  return { out, write: out, err, fetch: (r) => fetch(r) };
}
