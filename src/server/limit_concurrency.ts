/**
 * A cap on the status server's concurrent work, in the manner of the API
 * server's max-in-flight filter: at most so many requests being answered at
 * once, and at most so many long-lived responses (log follows, watches) open
 * at once. Beyond either, a request is answered `429 Too Many Requests` with
 * `Retry-After: 1`. Health checks (`/healthz...`) are never refused, so a
 * flood of clients cannot make a probe of the kubelet fail.
 *
 * @module
 */
import { isLongLived, longLived } from "../platform/long_lived.ts";

/** The caps. */
export interface ConcurrencyLimits {
  /** Requests being answered at once (until their handler returns). @default 64 */
  maxInFlight?: number;
  /** Long-lived responses open at once, until their body ends or the client goes. @default 64 */
  maxLongLived?: number;
}

type Handler = (request: Request) => Promise<Response>;

const tooMany = (what: string) =>
  new Response(`429 too many requests: ${what}; retry later\n`, {
    status: 429,
    headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "1" },
  });

/** Wraps `handler` with the caps of `limits`. */
export function limitConcurrency(handler: Handler, limits: ConcurrencyLimits = {}): Handler {
  const maxInFlight = limits.maxInFlight ?? 64;
  const maxLongLived = limits.maxLongLived ?? 64;
  let inFlight = 0;
  let open = 0;
  return async (request) => {
    const exempt = /^\/healthz(\/|$)/.test(new URL(request.url).pathname);
    if (!exempt && inFlight >= maxInFlight) return tooMany(`more than ${maxInFlight} requests in flight`);
    if (!exempt) inFlight++;
    let response: Response;
    try {
      response = await handler(request);
    } finally {
      if (!exempt) inFlight--;
    }
    if (!isLongLived(response)) return response;
    if (open >= maxLongLived) {
      await response.body?.cancel().catch(() => {});
      return tooMany(`more than ${maxLongLived} log follows open`);
    }
    open++;
    let closed = false;
    const close = () => {
      if (!closed) (closed = true, open--);
    };
    request.signal.addEventListener("abort", close, { once: true });
    return longLived(new Response(whenDone(response.body, close), response));
  };
}

/** `body`, passed through, with `done` called once when it ends, fails or is cancelled. */
function whenDone(
  body: ReadableStream<Uint8Array> | null,
  done: () => void,
): ReadableStream<Uint8Array> | null {
  if (!body) {
    done();
    return null;
  }
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
