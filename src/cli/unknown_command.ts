/**
 * The refusal of a word the CLI does not know as a command, in cobra's
 * words (`unknown command "pod" for "kubelet"`), with its suggestion of a
 * command a short edit away.
 *
 * @module
 */

/** Levenshtein distance, for the suggestion (cobra suggests within 2). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** `unknown command "pod" for "kubelet"; did you mean "pods"? (the kubelet takes no arguments; see kubelet --help)` */
export function unknownCommandMessage(word: string, commands: readonly string[]): string {
  const near = word === ""
    ? []
    : commands.filter((c) => c.startsWith(word.toLowerCase()) || distance(word.toLowerCase(), c) <= 2);
  const suggestion = near.length ? `; did you mean ${near.map((c) => JSON.stringify(c)).join(" or ")}?` : "";
  return `unknown command ${
    JSON.stringify(word)
  } for "kubelet"${suggestion} (the kubelet takes no arguments; see kubelet --help)`;
}
