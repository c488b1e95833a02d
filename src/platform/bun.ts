/**
 * The {@link Platform} for Bun. Bun implements Node's `fs`, `os` and
 * `process`, so those carry everything except the unix-socket fetch and
 * `serve`, which use Bun's own options.
 *
 * @module
 */
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { type Stats, watch } from "node:fs";
import { createConnection } from "node:net";
import { arch, hostname } from "node:os";
import process from "node:process";
import type { FileInfo, LinkInfo, Platform, Server } from "./types.ts";
import { retryWatch } from "./_retry_watch.ts";
import { isLongLived } from "./long_lived.ts";
import { statfsUsage } from "./_statfs.ts";
import { readBounded, textWithin } from "./_read_limit.ts";
import { readFileTail } from "./_read_tail.ts";
import { mountTmpfs, unmount } from "./_mount.ts";

interface BunServer {
  port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
  /** Sets the idle timeout of one request's connection, in seconds; 0 turns it off. */
  timeout(request: Request, seconds: number): void;
}
interface Bun {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>;
    error?: (error: Error) => Response;
  }): BunServer;
  version: string;
}
declare const Bun: Bun;

function toInfo(s: Stats): FileInfo {
  return {
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSocket: s.isSocket(),
    isCharDevice: s.isCharacterDevice(),
    isBlockDevice: s.isBlockDevice(),
    mtimeMs: s.mtimeMs,
    size: s.size,
    dev: s.dev,
    ino: s.ino,
    ctimeMs: s.ctimeMs,
  };
}

/** Bun's runtime calls, behind the shared interface. */
export const bunPlatform: Platform = {
  name: "bun",
  get args() {
    return process.argv.slice(2);
  },
  arch: arch() === "x64" ? "amd64" : arch(),
  get runtimeVersion() {
    return Bun.version;
  },

  unixFetch(path) {
    return (request) => fetch(request, { unix: path } as RequestInit);
  },

  connect(target) {
    return new Promise((resolve, reject) => {
      const socket = "path" in target
        ? createConnection({ path: target.path })
        : createConnection({ host: target.hostname, port: target.port });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        let done = false;
        const readable = new ReadableStream<Uint8Array>({
          start(controller) {
            socket.on("data", (d: Uint8Array) => done || controller.enqueue(new Uint8Array(d)));
            socket.on("end", () => done || (done = true, controller.close()));
            socket.on("error", (e) => done || (done = true, controller.error(e)));
          },
          cancel: () => void socket.destroy(),
        });
        resolve({
          readable,
          write: (bytes) => new Promise((ok, fail) => socket.write(bytes, (e) => (e ? fail(e) : ok()))),
          closeWrite: () => new Promise((ok) => socket.end(ok)),
          close: () => void socket.destroy(),
        });
      });
    });
  },

  stdin: {
    readable: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          process.stdin.on("data", (d: Uint8Array) => controller.enqueue(new Uint8Array(d)));
          process.stdin.on("end", () => controller.close());
        },
        cancel: () => void process.stdin.pause(),
      }),
    isTerminal: () => process.stdin.isTTY === true,
    setRaw: (on) => void process.stdin.setRawMode?.(on),
    size: () =>
      process.stdout.isTTY ? { columns: process.stdout.columns, rows: process.stdout.rows } : undefined,
  },

  tlsFetch({ ca, cert, key }) {
    return (request) => fetch(request, { tls: { ca, cert, key, rejectUnauthorized: true } } as RequestInit);
  },

  serve({ hostname, port }, handler): Promise<Server> {
    try {
      const server = Bun.serve({
        hostname,
        port,
        async fetch(request, server) {
          const response = await handler(request);
          // Bun ends a response idle for 10 s (idleTimeout); a follow or a watch lives as long as its client wants.
          if (isLongLived(response)) server.timeout(request, 0);
          return response;
        },
        error: (error) => {
          console.error(error);
          return new Response("internal error\n", { status: 500 });
        },
      });
      return Promise.resolve({ port: server.port, close: async () => await server.stop(true) });
    } catch (error) {
      return Promise.reject(error);
    }
  },

  watch(path, onChange, signal) {
    const base = path.replace(/\/+$/, "").split("/").pop();
    retryWatch(path, signal, onChange, (gone) => {
      // Node's watch names the watched directory itself when it is removed or moved.
      const watcher = watch(path, { persistent: false }, (event, name) => {
        if (event === "rename" && name === base) gone();
        else onChange();
      });
      watcher.on("error", gone);
      return () => watcher.close();
    });
  },

  fetchInsecure: (request) => fetch(request, { tls: { rejectUnauthorized: false } } as RequestInit),

  tcpConnect(hostname, port, timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: hostname, port, timeout: timeoutMs });
      socket.once("connect", () => (socket.destroy(), resolve()));
      socket.once(
        "timeout",
        () => (socket.destroy(), reject(new Error(`dial tcp ${hostname}:${port}: i/o timeout`))),
      );
      socket.once("error", (error) => (socket.destroy(), reject(error)));
    });
  },

  onUnhandledRejection(handler) {
    process.on("unhandledRejection", (reason) => handler(reason));
  },
  onSignal(signal, handler) {
    process.on(signal, handler);
  },
  exit: (code) => process.exit(code),
  env: (name) => process.env[name],
  hostname: () => hostname(),
  pid: () => process.pid,

  async readTextFile(path, options) {
    if (options?.maxBytes === undefined) return await readFile(path, "utf8");
    const file = await open(path, "r");
    try {
      const bytes = await readBounded(
        async (buffer, offset) => (await file.read(buffer, offset, buffer.length - offset, null)).bytesRead,
        options.maxBytes,
      );
      return textWithin(bytes, options.maxBytes);
    } finally {
      await file.close();
    }
  },
  readFileTail,
  async writeFile(path, data, options) {
    // "wx" is O_CREAT | O_EXCL: it fails on anything already there, a dangling link included.
    await writeFile(path, data, { mode: options?.mode, flag: options?.createNew ? "wx" : "w" });
  },
  async readDir(path) {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.map((e) => ({
      name: e.name,
      isFile: e.isFile(),
      isDirectory: e.isDirectory(),
      isSymlink: e.isSymbolicLink(),
    }));
  },
  async stat(path): Promise<FileInfo | null> {
    try {
      return toInfo(await stat(path));
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return null;
      throw error;
    }
  },
  async lstat(path): Promise<LinkInfo | null> {
    try {
      const s = await lstat(path);
      return { ...toInfo(s), isSymlink: s.isSymbolicLink() };
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return null;
      throw error;
    }
  },
  async mkdir(path, options) {
    await mkdir(path, { recursive: true, mode: options?.mode });
  },
  chmod: (path, mode) => chmod(path, mode),
  async remove(path) {
    await rm(path, { recursive: true, force: true });
  },
  statfs: statfsUsage,
  symlink: (target, path) => symlink(target, path),
  readLink: (path) => readlink(path),
  rename: (from, to) => rename(from, to),
  makeTempDir: (dir, prefix) => mkdtemp(`${dir.replace(/\/+$/, "")}/${prefix}`),
  mountTmpfs,
  unmount,
};
