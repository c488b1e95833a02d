/** A CLI io whose output is kept and whose fetch calls a status handler directly. */
import type { CliIo } from "../../src/cli/io.ts";

export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
  urls: string[];
}

export function captureIo(handler?: (r: Request) => Promise<Response>): CapturedIo {
  let out = "", err = "";
  const urls: string[] = [];
  const dec = new TextDecoder();
  return {
    out: (t) => Promise.resolve(void (out += t)),
    write: (b) => Promise.resolve(void (out += dec.decode(b, { stream: true }))),
    err: (t) => Promise.resolve(void (err += t)),
    fetch: (r) => {
      urls.push(r.url);
      return handler ? handler(r) : Promise.reject(new TypeError("connection refused"));
    },
    stdout: () => out,
    stderr: () => err,
    urls,
  };
}
