import { stat } from "node:fs/promises";

/** How often the watched path's identity is checked (and a failed watch tried again), in ms. */
const CHECK_MS = 2_000;
/** After the watched path itself was removed or moved, how soon to look again, in ms. */
const GONE_MS = 20;

/** What is at `path` (device and inode), or undefined when nothing is. */
async function identity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a watch of `path` armed until `signal` aborts. `start` arms a native
 * watch and returns its stop function; it calls `gone` when the watched path
 * itself is removed or moved, or the watch ends. A native watch follows an
 * inode, so when the path is replaced (removed and made again, another
 * directory renamed over it) or appears late, the watch is armed again on
 * what is there now and `onChange` is called, since that was never seen.
 * Besides `gone`, the path's identity is checked every 2 s, which also
 * retries a watch that could not be armed.
 */
export function retryWatch(
  path: string,
  signal: AbortSignal,
  onChange: () => void,
  start: (gone: () => void) => () => void,
): void {
  let stop: (() => void) | undefined;
  let armedOn: string | undefined;
  let lastSeen: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let rerun = false;
  const disarm = () => {
    try {
      stop?.();
    } catch { /* already closed */ }
    stop = undefined;
    armedOn = undefined;
  };
  const arm = () => {
    try {
      const mine = start(() => {
        // Only the watch now armed may call its path gone.
        if (stop !== mine) return;
        disarm();
        schedule(GONE_MS);
      });
      stop = mine;
    } catch { /* not there (yet): tried again at the next check */ }
  };
  const check = async () => {
    const id = await identity(path);
    if (signal.aborted) return;
    let changed = id !== lastSeen;
    if (id !== armedOn) disarm();
    if (id !== undefined && !stop) {
      arm();
      if (stop) (armedOn = id, changed = true);
    }
    lastSeen = id;
    if (changed) onChange();
  };
  const run = async () => {
    if (running) return void (rerun = true);
    running = true;
    try {
      await check();
    } finally {
      running = false;
    }
    schedule(rerun ? 0 : CHECK_MS);
    rerun = false;
  };
  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!signal.aborted) timer = setTimeout(run, ms);
  };
  signal.addEventListener("abort", () => (clearTimeout(timer), disarm()), { once: true });
  // Armed at once, so that nothing between this call and the caller's first read is missed.
  arm();
  identity(path).then((id) => {
    if (stop && armedOn === undefined) armedOn = id;
    lastSeen = id;
    schedule(CHECK_MS);
  });
}
