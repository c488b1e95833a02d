/**
 * A strict parser of klog's structured text lines, as log pipelines read
 * them: `Lmmdd hh:mm:ss.uuuuuu pid file:line] "msg" key=value ...`. Tests use
 * it to check the kubelet's log, and to read its messages back unquoted.
 *
 * @module
 */

/** One parsed line. */
export interface KlogLine {
  severity: "I" | "W" | "E" | "F";
  /** `mmdd hh:mm:ss.uuuuuu` */
  time: string;
  pid: number;
  file: string;
  line: number;
  msg: string;
  fields: Record<string, unknown>;
}

/** klog's header, as Vector's `parse_klog` and fluent-bit's klog parser match it. */
export const KLOG_HEADER =
  /^([IWEF])((?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}) {1,7}(\d+) ([^\s:\]]+):(\d+)\] /;

/** The end of a quoted string starting at `i` (the index past its closing quote). */
function endOfString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === '"') return j + 1;
  }
  throw new Error(`unterminated string at ${i}: ${s}`);
}

/** The end of a JSON object or array starting at `i`. */
function endOfComposite(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"') j = endOfString(s, j) - 1;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (--depth === 0) return j + 1;
    }
  }
  throw new Error(`unbalanced value at ${i}: ${s}`);
}

/** Parses one line. @throws {Error} when it is not a klog structured line */
export function parseKlogLine(text: string): KlogLine {
  const header = KLOG_HEADER.exec(text);
  if (!header) throw new Error(`not a klog header: ${JSON.stringify(text)}`);
  let i = header[0].length;
  if (text[i] !== '"') throw new Error(`message is not quoted: ${JSON.stringify(text)}`);
  let end = endOfString(text, i);
  const msg = JSON.parse(text.slice(i, end)) as string;
  const fields: Record<string, unknown> = {};
  i = end;
  while (i < text.length) {
    const key = /^ ([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(text.slice(i));
    if (!key) throw new Error(`bad key=value at ${i}: ${JSON.stringify(text)}`);
    i += key[0].length;
    const c = text[i];
    if (c === '"') end = endOfString(text, i);
    else if (c === "{" || c === "[") end = endOfComposite(text, i);
    else end = text.indexOf(" ", i) < 0 ? text.length : text.indexOf(" ", i);
    const raw = text.slice(i, end);
    if (raw === "") throw new Error(`empty value of ${key[1]}: ${JSON.stringify(text)}`);
    fields[key[1]] = raw === "undefined" ? undefined : JSON.parse(raw);
    i = end;
  }
  return {
    severity: header[1] as KlogLine["severity"],
    time: header[2],
    pid: Number(header[3]),
    file: header[4],
    line: Number(header[5]),
    msg,
    fields,
  };
}

/** A klog line as a person reads it: the message unquoted, then its fields. */
export function klogMessage(text: string): string {
  const { msg, fields } = parseKlogLine(text);
  return [
    msg,
    ...Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`),
  ]
    .join(" ");
}
