/**
 * Label selectors as k8s.io/apimachinery/pkg/labels parses them:
 * `a=b`, `a==b`, `a!=b`, `a in (b,c)`, `a notin (b,c)`, `a`, `!a`,
 * `a>1`, `a<1`, joined by commas (all must match).
 *
 * @module
 */

/** One requirement of a selector. */
export interface LabelRequirement {
  key: string;
  operator: "=" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";
  values: string[];
}

/** Why a selector does not parse; the API server answers it as 400 BadRequest. */
export class SelectorError extends Error {
  override name = "SelectorError";
}

// A qualified name with an optional DNS-subdomain prefix (`app.kubernetes.io/name`).
const KEY = String
  .raw`(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^()]*)\)$`);
const CMP = new RegExp(String.raw`^(${KEY})\s*(==|=|!=|>|<)\s*(.*)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

/** Splits at commas outside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    else if (text[i] === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function value(v: string): string {
  if (!VALUE.test(v)) throw new SelectorError(`unable to parse requirement: invalid label value: "${v}"`);
  return v;
}

/**
 * Parses a label selector; an empty one matches everything.
 *
 * @throws {SelectorError} when it does not parse
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === "") return [];
  if (selector.length > 10_000) throw new SelectorError("label selector too long");
  return splitTop(selector).map((raw) => {
    const part = raw.trim();
    let m = SET.exec(part);
    if (m) {
      const values = m[3].split(",").map((v) => value(v.trim()));
      if (values.length === 1 && values[0] === "") {
        throw new SelectorError(
          `unable to parse requirement: for '${m[2]}' operator, values set can't be empty`,
        );
      }
      return { key: m[1], operator: m[2] as "in" | "notin", values };
    }
    m = CMP.exec(part);
    if (m) {
      const v = value(m[3].trim());
      if (m[2] === ">" || m[2] === "<") {
        if (!/^-?\d+$/.test(v)) {
          throw new SelectorError(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        return { key: m[1], operator: m[2] === ">" ? "gt" : "lt", values: [v] };
      }
      return { key: m[1], operator: m[2] === "!=" ? "!=" : "=", values: [v] };
    }
    m = EXISTS.exec(part);
    if (m) return { key: m[2], operator: m[1] ? "!" : "exists", values: [] };
    throw new SelectorError(`unable to parse requirement: "${part}"`);
  });
}

/** Whether `labels` satisfy every requirement. */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(l, key);
    switch (operator) {
      case "=":
        return has && l[key] === values[0];
      case "!=":
        return !has || l[key] !== values[0];
      case "in":
        return has && values.includes(l[key]);
      case "notin":
        return !has || !values.includes(l[key]);
      case "exists":
        return has;
      case "!":
        return !has;
      case "gt":
      case "lt": {
        if (!has || !/^-?\d+$/.test(l[key])) return false;
        const a = Number(l[key]), b = Number(values[0]);
        return operator === "gt" ? a > b : a < b;
      }
    }
  });
}
