/**
 * YAML that kubectl reads back as we wrote it. kubectl decodes with YAML 1.1
 * rules (sigs.k8s.io/yaml over go-yaml v2), where a plain `yes`, `no`, `on`,
 * `off`, `y` or `n` is a boolean and `0755` an octal number; YAML 1.2 (the
 * `yaml` package's default) writes those unquoted. A string that YAML 1.1 or
 * go-yaml would read as anything else is written quoted.
 *
 * @module
 */
import { Document, isScalar, visit } from "yaml";

/**
 * Plain scalars that are not strings under YAML 1.1 (yaml.org/type: bool,
 * null, int, float, timestamp, merge, value) or under go-yaml v2, which
 * also takes Go's `0o17` and underscores in numbers.
 */
const YAML_1_1_NON_STRING = new RegExp(
  "^(?:" + [
    "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
    "~|null|Null|NULL",
    "[-+]?0[bB][01_]+|[-+]?0[oO]?[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0[xX][0-9a-fA-F_]+",
    "[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?",
    "[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:\\.[0-9_]*)?[eE][-+]?[0-9]+",
    "[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)",
    "\\d{4}-\\d\\d?-\\d\\d?(?:(?:[Tt]|[ \\t]+)\\d\\d?:\\d\\d:\\d\\d(?:\\.\\d*)?(?:[ \\t]*(?:Z|[-+]\\d\\d?(?::\\d\\d)?))?)?",
    "<<|=",
  ].join("|") + ")$",
);

/** True when a plain `text` would not read back as the string `text` under YAML 1.1. */
export function isYaml11NonString(text: string): boolean {
  return YAML_1_1_NON_STRING.test(text);
}

/** `value` as YAML whose every string reads back as the same string under YAML 1.1 and YAML 1.2. */
export function toKubectlYaml(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === "string" && isYaml11NonString(node.value)) {
        node.type = "QUOTE_DOUBLE";
      }
    },
  });
  return doc.toString();
}
