/** How long to wait before trying again to watch a path that is not there yet. */
const RETRY_MS = 2_000;

/**
 * Keeps a watch armed: calls `start` (which returns a stop function) and, when
 * it throws because the path does not exist yet, tries again every 2 s until
 * `signal` aborts. The periodic relist covers changes missed meanwhile.
 */
export function retryWatch(signal: AbortSignal, start: () => () => void): void {
  let stop: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (signal.aborted) return;
    try {
      stop = start();
    } catch {
      timer = setTimeout(arm, RETRY_MS);
    }
  };
  signal.addEventListener("abort", () => {
    clearTimeout(timer);
    stop?.();
  }, { once: true });
  arm();
}
