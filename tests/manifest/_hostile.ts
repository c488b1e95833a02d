/** Hostile manifest texts, shared by the decode tests, the source tests and the bad-input e2e test. */

/** A chain of merge keys that doubles at each of `levels` levels (eemeli/yaml#694). */
export function mergeBomb(levels = 20): string {
  let text = "x0: &x0 {a: 1}\n";
  for (let i = 1; i <= levels; i++) text += `x${i}: &x${i}\n  <<: [*x${i - 1}, *x${i - 1}]\n  k${i}: 1\n`;
  return text;
}

/** The classic "billion laughs": nine aliases of nine aliases, nine levels deep. */
export function aliasBomb(): string {
  let text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i <= 9; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
  return text;
}

/** `levels` nested flow sequences. */
export const deepFlow = (levels = 20_000) => `a: ${"[".repeat(levels)}${"]".repeat(levels)}\n`;

/** `levels` nested block maps. */
export function deepBlock(levels = 2_000): string {
  let text = "";
  for (let i = 0; i < levels; i++) text += `${" ".repeat(i)}a:\n`;
  return text;
}

/** `levels` nested JSON objects. */
export const deepJson = (levels = 20_000) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

/** A pod whose annotations make the text about `bytes` long: many small nodes. */
export function manyAnnotations(bytes: number): string {
  const lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: big", "  annotations:"];
  let length = lines.join("\n").length;
  for (let i = 0; length < bytes - 40; i++) {
    const line = `    k${i}: v${i}`;
    lines.push(line);
    length += line.length + 1;
  }
  lines.push("spec:", "  containers: [{name: c, image: busybox}]", "");
  return lines.join("\n");
}
