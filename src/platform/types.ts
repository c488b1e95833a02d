/**
 * The one interface behind which every runtime-specific call lives. The rest
 * of `src/` uses web-standard APIs plus this interface; `src/platform/deno.ts`
 * and `src/platform/bun.ts` implement it.
 *
 * @module
 */

/** A fetch-like function bound to one transport (for example a unix socket). */
export type FetchFn = (request: Request) => Promise<Response>;

/** A request handler in the web-standard shape, as Hono and Deno.serve use. */
export type Handler = (request: Request) => Response | Promise<Response>;

/** One entry of a directory listing. */
export interface DirEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
}

/** What `stat` reports about a path; links are followed. */
export interface FileInfo {
  isFile: boolean;
  isDirectory: boolean;
  isSocket: boolean;
  isCharDevice: boolean;
  isBlockDevice: boolean;
  /** Modification time in milliseconds since the epoch. */
  mtimeMs: number;
  size: number;
}

/** What `lstat` reports about a path itself: a symbolic link is not followed. */
export interface LinkInfo extends FileInfo {
  isSymlink: boolean;
}

/** Capacity of the filesystem holding a path, as statfs(2) gives it. */
export interface FsUsage {
  type: number;
  blockSize: number;
  blocks: number;
  blocksFree: number;
  blocksAvailable: number;
  files: number;
  filesFree: number;
}

/** A running HTTP server. */
export interface Server {
  /** The port actually bound (useful when 0 was asked for). */
  port: number;
  /** Stops listening and resolves when the server is closed. */
  close(): Promise<void>;
}

export interface Platform {
  /** Which runtime this is. */
  readonly name: "deno" | "bun";
  /** Command-line arguments after the program (no runtime or script path). */
  readonly args: string[];
  /** The CPU architecture in Docker's naming: `amd64`, `arm64`, ... */
  readonly arch: string;

  /** A fetch function whose requests all travel over the unix socket at `path`. */
  unixFetch(path: string): FetchFn;
  /** Serves `handler` on `hostname:port`; rejects when the address cannot be bound. */
  serve(options: { hostname: string; port: number }, handler: Handler): Promise<Server>;
  /**
   * Calls `onChange` (debounced by the caller) whenever something under
   * `path` changes. Watches nothing, silently, while `path` does not exist.
   * Stops when `signal` aborts.
   */
  watch(path: string, onChange: () => void, signal: AbortSignal): void;
  /**
   * Fetches without verifying TLS certificates, as the kubelet's HTTPS probes
   * do. Bun supports it; under Deno certificates are still verified.
   */
  fetchInsecure(request: Request): Promise<Response>;
  /**
   * Opens a TCP connection to `hostname:port` and closes it at once (a
   * tcpSocket probe).
   *
   * @throws when the connection is refused or `timeoutMs` passes first.
   */
  tcpConnect(hostname: string, port: number, timeoutMs: number): Promise<void>;
  /** Calls `handler` each time the process receives `signal`. */
  onSignal(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
  /** Ends the process with `code`. */
  exit(code: number): never;
  /** An environment variable, or undefined. */
  env(name: string): string | undefined;
  /** The host's name as gethostname(2) gives it. */
  hostname(): string;
  /** Process ID of this process. */
  pid(): number;

  readTextFile(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array, options?: { mode?: number }): Promise<void>;
  readDir(path: string): Promise<DirEntry[]>;
  /** Stats `path`, following links; resolves `null` when nothing is there. */
  stat(path: string): Promise<FileInfo | null>;
  /** Stats `path` itself, not following a final symbolic link; resolves `null` when nothing is there. */
  lstat(path: string): Promise<LinkInfo | null>;
  /** Creates a directory and its parents; no error if it exists. */
  mkdir(path: string, options?: { mode?: number }): Promise<void>;
  /** Sets a path's permission bits exactly (no umask). */
  chmod(path: string, mode: number): Promise<void>;
  /** Removes a file or a directory tree; no error if nothing is there. */
  remove(path: string): Promise<void>;
  statfs(path: string): Promise<FsUsage>;
}
