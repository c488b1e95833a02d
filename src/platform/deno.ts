/**
 * The {@link Platform} for Deno.
 *
 * @module
 */
import type { DirEntry, FileInfo, Handler, LinkInfo, Platform, Server } from "./types.ts";
import { retryWatch } from "./_retry_watch.ts";
import { statfsUsage } from "./_statfs.ts";
import { readBounded, textWithin } from "./_read_limit.ts";
import { readFileTail } from "./_read_tail.ts";
import { mountTmpfs, unmount } from "./_mount.ts";

function toInfo(s: Deno.FileInfo): FileInfo {
  return {
    isFile: s.isFile,
    isDirectory: s.isDirectory,
    isSocket: s.isSocket === true,
    isCharDevice: s.isCharDevice === true,
    isBlockDevice: s.isBlockDevice === true,
    mtimeMs: s.mtime?.getTime() ?? 0,
    size: s.size,
    dev: s.dev,
    ino: s.ino ?? undefined,
    ctimeMs: s.ctime?.getTime(),
  };
}

/** Deno's runtime calls, behind the shared interface. */
export const denoPlatform: Platform = {
  name: "deno",
  get args() {
    return Deno.args;
  },
  get runtimeVersion() {
    return Deno.version.deno;
  },
  get arch() {
    return { aarch64: "arm64", x86_64: "amd64" }[Deno.build.arch] ?? Deno.build.arch;
  },

  unixFetch(path) {
    const client = Deno.createHttpClient({ proxy: { transport: "unix", path } });
    return (request) => fetch(request, { client } as RequestInit);
  },

  async connect(target) {
    const conn = "path" in target
      ? await Deno.connect({ transport: "unix", path: target.path })
      : await Deno.connect({ hostname: target.hostname, port: target.port });
    return {
      readable: conn.readable,
      async write(bytes) {
        for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
      },
      closeWrite: () => conn.closeWrite(),
      close: () => {
        try {
          conn.close();
        } catch { /* closed already */ }
      },
    };
  },

  stdin: {
    readable: () => Deno.stdin.readable,
    isTerminal: () => Deno.stdin.isTerminal(),
    setRaw: (on) => Deno.stdin.setRaw(on),
    size: () => Deno.stdout.isTerminal() ? Deno.consoleSize() : undefined,
  },

  tlsFetch({ ca, cert, key }) {
    const client = Deno.createHttpClient({ caCerts: [ca], cert, key });
    return (request) => fetch(request, { client } as RequestInit);
  },

  serve({ hostname, port }, handler: Handler): Promise<Server> {
    return new Promise((resolve, reject) => {
      try {
        const server = Deno.serve({
          hostname,
          port,
          onListen: ({ port }) => resolve({ port, close: () => server.shutdown() }),
          onError: (error) => {
            console.error(error);
            return new Response("internal error\n", { status: 500 });
          },
        }, handler);
      } catch (error) {
        reject(error);
      }
    });
  },

  watch(path, onChange, signal) {
    const self = path.replace(/(.)\/+$/, "$1");
    retryWatch(path, signal, onChange, (gone) => {
      const watcher = Deno.watchFs(path, { recursive: false });
      (async () => {
        try {
          for await (const event of watcher) {
            // The watched directory itself removed or moved: its inode is no longer the path.
            if (event.paths.includes(self) && event.kind !== "access") return gone();
            onChange();
          }
        } catch { /* closed */ }
        gone();
      })();
      return () => watcher.close();
    });
  },

  // Deno's fetch cannot skip certificate checks per request (only --unsafely-ignore-certificate-errors).
  fetchInsecure: (request) => fetch(request),

  async tcpConnect(hostname, port, timeoutMs) {
    const connecting = Deno.connect({ hostname, port });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`dial tcp ${hostname}:${port}: i/o timeout`)), timeoutMs);
    });
    try {
      (await Promise.race([connecting, timeout])).close();
    } finally {
      clearTimeout(timer);
      connecting.then((c) => c.close(), () => {}).catch(() => {});
    }
  },

  onUnhandledRejection(handler) {
    globalThis.addEventListener("unhandledrejection", (event) => {
      event.preventDefault();
      handler(event.reason);
    });
  },
  onSignal(signal, handler) {
    Deno.addSignalListener(signal, handler);
  },
  exit: (code) => Deno.exit(code),
  env: (name) => Deno.env.get(name),
  hostname: () => Deno.hostname(),
  pid: () => Deno.pid,

  async readTextFile(path, options) {
    if (options?.maxBytes === undefined) return await Deno.readTextFile(path);
    using file = await Deno.open(path);
    const bytes = await readBounded(
      async (buffer, offset) => await file.read(buffer.subarray(offset)) ?? 0,
      options.maxBytes,
    );
    return textWithin(bytes, options.maxBytes);
  },
  readFileTail,
  async writeFile(path, data, options) {
    const opts = { mode: options?.mode, createNew: options?.createNew };
    if (typeof data === "string") await Deno.writeTextFile(path, data, opts);
    else await Deno.writeFile(path, data, opts);
  },
  async readDir(path) {
    const entries: DirEntry[] = [];
    for await (const e of Deno.readDir(path)) {
      entries.push({ name: e.name, isFile: e.isFile, isDirectory: e.isDirectory, isSymlink: e.isSymlink });
    }
    return entries;
  },
  async stat(path) {
    try {
      return toInfo(await Deno.stat(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  },
  async lstat(path): Promise<LinkInfo | null> {
    try {
      const s = await Deno.lstat(path);
      return { ...toInfo(s), isSymlink: s.isSymlink };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  },
  async mkdir(path, options) {
    await Deno.mkdir(path, { recursive: true, mode: options?.mode });
  },
  chmod: (path, mode) => Deno.chmod(path, mode),
  async remove(path) {
    try {
      await Deno.remove(path, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  },
  statfs: statfsUsage,
  symlink: (target, path) => Deno.symlink(target, path),
  readLink: (path) => Deno.readLink(path),
  rename: (from, to) => Deno.rename(from, to),
  makeTempDir: (dir, prefix) => Deno.makeTempDir({ dir, prefix }),
  mountTmpfs,
  unmount,
};
