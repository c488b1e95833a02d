/**
 * The one interface behind which every runtime-specific call lives. The rest
 * of `src/` uses web-standard APIs plus this interface; `src/platform/deno.ts`
 * and `src/platform/bun.ts` implement it.
 *
 * @module
 */

/** A fetch-like function bound to one transport (for example a unix socket). */
export type FetchFn = (request: Request) => Promise<Response>;

/** PEM texts for a mutually authenticated TLS connection. */
export interface TlsFiles {
  /** The certificate authority the server's certificate must chain to. */
  ca: string;
  /** The client certificate. */
  cert: string;
  /** The client certificate's private key. */
  key: string;
}

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
  /** The ID of the device (file system) holding it: another one than its parent's marks a mount point. */
  dev?: number;
  /** The inode number. */
  ino?: number;
  /** Status change time (ms since the epoch): set by the kernel on every write or metadata change, never by a user. */
  ctimeMs?: number;
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

/** A raw two-way byte connection (the Engine's hijacked exec streams). */
export interface RawConnection {
  readable: ReadableStream<Uint8Array>;
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): Promise<void>;
  /** Half-closes: no more bytes are written (the peer sees end of input); reading goes on. */
  closeWrite(): Promise<void>;
  close(): void;
}

/** This process's standard input, for `kubelet exec`. */
export interface Stdin {
  readable(): ReadableStream<Uint8Array>;
  isTerminal(): boolean;
  /** Switches a terminal's raw mode (no echo, no line editing, keys passed through). */
  setRaw(on: boolean): void;
  /** The terminal's size, or undefined when standard output is no terminal. */
  size(): { columns: number; rows: number } | undefined;
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
  /** The runtime's own version (`Bun.version`, `Deno.version.deno`), e.g. `1.4.5`. */
  readonly runtimeVersion: string;

  /** A fetch function whose requests all travel over the unix socket at `path`. */
  unixFetch(path: string): FetchFn;
  /** Opens a raw connection to a unix socket or a TCP port. */
  connect(target: { path: string } | { hostname: string; port: number }): Promise<RawConnection>;
  /** Standard input. */
  readonly stdin: Stdin;
  /**
   * A fetch function for `https:` requests that trusts only `tls.ca` and
   * presents the client certificate `tls.cert` with its key (all PEM text),
   * as the docker CLI does with `DOCKER_TLS_VERIFY`.
   */
  tlsFetch(tls: TlsFiles): FetchFn;
  /** Serves `handler` on `hostname:port`; rejects when the address cannot be bound. */
  serve(options: { hostname: string; port: number }, handler: Handler): Promise<Server>;
  /**
   * Calls `onChange` (debounced by the caller) whenever something under
   * `path` changes. Watches nothing, silently, while `path` does not exist;
   * when it appears, or is replaced (removed and made again, or renamed
   * over), the watch moves to the new one within about 2 s and `onChange` is
   * called. Stops when `signal` aborts.
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
  /**
   * Calls `handler` for every promise rejected with no handler, instead of
   * the runtime's default of ending the process.
   */
  onUnhandledRejection(handler: (reason: unknown) => void): void;
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

  /**
   * Reads a file as UTF-8. With `maxBytes`, reads at most `maxBytes + 1`
   * bytes and throws a `RangeError` when the file holds more than `maxBytes`.
   */
  readTextFile(path: string, options?: { maxBytes?: number }): Promise<string>;
  /**
   * The last `maxBytes` bytes of a regular file, read without reading the
   * rest; a link or a non-regular file is refused.
   *
   * @throws when the path is missing, a link, or not a regular file.
   */
  readFileTail(path: string, maxBytes: number): Promise<Uint8Array>;
  /**
   * Writes a file. With `createNew`, fails when anything (a symbolic link
   * too) is already at `path`, so a planted link is never followed.
   */
  writeFile(
    path: string,
    data: string | Uint8Array,
    options?: { mode?: number; createNew?: boolean },
  ): Promise<void>;
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
  /** Creates a symbolic link at `path` whose target is `target`, written as given (never resolved). */
  symlink(target: string, path: string): Promise<void>;
  /** The target of the symbolic link at `path`, as written. */
  readLink(path: string): Promise<string>;
  /** Renames `from` to `to` in one step (rename(2)), replacing what `to` names (a link itself, never its target). */
  rename(from: string, to: string): Promise<void>;
  /** Creates a new directory (mode 0700) named `prefix` plus a unique suffix inside `dir`; resolves its path. */
  makeTempDir(dir: string, prefix: string): Promise<string>;
  /**
   * Mounts a new tmpfs of at most `sizeBytes` bytes (mode 0755, `nosuid`,
   * `nodev`) on the directory `path`, with mount(8); needs root.
   *
   * @throws when the mount fails, with mount's message
   */
  mountTmpfs(path: string, sizeBytes: number): Promise<void>;
  /**
   * Unmounts what is mounted on `path`, with umount(8).
   *
   * @throws when the unmount fails, with umount's message
   */
  unmount(path: string): Promise<void>;
}
