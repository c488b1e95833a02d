/**
 * Field selectors as k8s.io/apimachinery/pkg/fields parses them (`a=b`,
 * `a==b`, `a!=b`, comma-joined, `\` escaping `,`, `=` and `\`), and the
 * fields each resource can be selected by, as the API server's
 * `GetAttrs`/`ToSelectableFields` name them.
 *
 * @module
 */
import { SelectorError } from "./label_selector.ts";

/** One requirement: the field, `=` or `!=`, and the value. */
export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/** Splits at unescaped `sep`, keeping escapes for the next step. */
function splitEscaped(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && i + 1 < text.length) {
      cur += text[i] + text[i + 1];
      i++;
    } else if (text[i] === sep) {
      out.push(cur);
      cur = "";
    } else cur += text[i];
  }
  out.push(cur);
  return out;
}

const unescape = (s: string) => s.replace(/\\(.)/g, "$1");

/**
 * Parses a field selector; an empty one matches everything.
 *
 * @throws {SelectorError} when it does not parse
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === "") return [];
  if (selector.length > 10_000) throw new SelectorError("field selector too long");
  return splitEscaped(selector, ",").map((part) => {
    const m = /^((?:[^\\=!]|\\.)*?)(!=|==|=)(.*)$/.exec(part);
    if (!m || m[1].trim() === "") {
      throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    }
    return { field: unescape(m[1].trim()), operator: m[2] === "!=" ? "!=" : "=", value: unescape(m[3]) };
  });
}

/**
 * Checks every requirement names a field of `fields` (the resource's
 * selectable fields).
 *
 * @throws {SelectorError} `field label not supported: x`, as the API server says it
 */
export function checkFields(requirements: FieldRequirement[], fields: Record<string, string>): void {
  for (const r of requirements) {
    if (!Object.hasOwn(fields, r.field)) {
      throw new SelectorError(`field label not supported: ${r.field}`);
    }
  }
}

/** Whether `fields` satisfy every requirement (an unknown field never matches). */
export function matchesFields(requirements: FieldRequirement[], fields: Record<string, string>): boolean {
  return requirements.every((r) =>
    Object.hasOwn(fields, r.field) && (r.operator === "=") === (fields[r.field] === r.value)
  );
}
