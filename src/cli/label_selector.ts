/**
 * kubectl's `-l SELECTOR`: label selectors as k8s.io/apimachinery's
 * `labels.Parse` reads them: `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, `key`, `!key`, joined by commas (all
 * must match).
 *
 * @module
 */
import { CliError } from "./server.ts";

/** One requirement of a selector. */
export type Requirement =
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type Selector = Requirement[];

const KEY = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checked(text: string, key: string, values: string[] = []): string {
  if (!KEY.test(key) || key.length > 316) {
    throw new CliError(
      `unable to parse requirement: invalid label key ${JSON.stringify(key)} in ${JSON.stringify(text)}`,
    );
  }
  for (const v of values) {
    if (!VALUE.test(v) || v.length > 63) {
      throw new CliError(
        `unable to parse requirement: invalid label value ${JSON.stringify(v)} in ${JSON.stringify(text)}`,
      );
    }
  }
  return key;
}

/** Parses a selector. @throws {CliError} naming the term it cannot read */
export function parseSelector(text: string): Selector {
  const terms: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if ((c === "," && depth === 0) || i === text.length) {
      terms.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim() === "") return [];
  return terms.map((term): Requirement => {
    let m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    if (m) {
      const values = m[3].split(",").map((v) => v.trim());
      return { key: checked(term, m[1], values), op: m[2] as "in" | "notin", values };
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) return { key: checked(term, m[1], [m[3]]), op: m[2] === "!=" ? "notin" : "in", values: [m[3]] };
    m = /^(!?)\s*([^!=\s()]+)$/.exec(term);
    if (m) return { key: checked(term, m[2]), op: m[1] ? "!exists" : "exists" };
    throw new CliError(`unable to parse requirement: ${JSON.stringify(term)}`);
  });
}

/** True when `labels` satisfy every requirement. */
export function matchesSelector(selector: Selector, labels: Record<string, string> = {}): boolean {
  return selector.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case "exists":
        return has;
      case "!exists":
        return !has;
      case "in":
        return has && r.values.includes(labels[r.key]);
      case "notin":
        return !has || !r.values.includes(labels[r.key]);
    }
  });
}
