/**
 * The {@link Platform} for Bun. Bun implements Node's `fs`, `os` and
 * `process`, so those carry everything except the unix-socket fetch and
 * `serve`, which use Bun's own options.
 *
 * @module
 */
import { chmod, lstat, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { type Stats, watch } from "node:fs";
import { createConnection } from "node:net";
import { arch, hostname } from "node:os";
import process from "node:process";
import type { FileInfo, Handler, LinkInfo, Platform, Server } from "./types.ts";
import { retryWatch } from "./_retry_watch.ts";
import { statfsUsage } from "./_statfs.ts";

interface BunServer {
  port: number;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}
interface Bun {
  serve(options: {
    hostname: string;
    port: number;
    fetch: Handler;
    error?: (error: Error) => Response;
  }): BunServer;
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
  };
}

/** Bun's runtime calls, behind the shared interface. */
export const bunPlatform: Platform = {
  name: "bun",
  get args() {
    return process.argv.slice(2);
  },
  arch: arch() === "x64" ? "amd64" : arch(),

  unixFetch(path) {
    return (request) => fetch(request, { unix: path } as RequestInit);
  },

  serve({ hostname, port }, handler): Promise<Server> {
    try {
      const server = Bun.serve({
        hostname,
        port,
        fetch: handler,
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
    retryWatch(signal, () => {
      const watcher = watch(path, { persistent: false }, () => onChange());
      watcher.on("error", () => {});
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

  onSignal(signal, handler) {
    process.on(signal, handler);
  },
  exit: (code) => process.exit(code),
  env: (name) => process.env[name],
  hostname: () => hostname(),
  pid: () => process.pid,

  readTextFile: (path) => readFile(path, "utf8"),
  async writeFile(path, data, options) {
    await writeFile(path, data, { mode: options?.mode });
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
};
