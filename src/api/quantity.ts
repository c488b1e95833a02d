/**
 * Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1G`, `1e3`) as
 * plain numbers in the base unit (cores, bytes).
 *
 * @module
 */

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Parses a quantity into its value in the base unit.
 *
 * @throws {Error} naming the text when it is not a quantity.
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === "number") return quantity;
  // Each run of digits is taken whole, `(?=(\d+))\2` being an atomic `\d+`: a long text that is
  // no quantity then fails in one pass, with no backtracking into its digits.
  const m =
    /^([+-]?(?:(?=(\d+))\2(?:\.(?=(\d*))\3)?|\.(?=(\d+))\4))(?:([eE][+-]?(?=(\d+))\6)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/
      .exec(quantity.trim());
  if (!m) {
    // At most the start of a long text: the error is made (and dropped) on every check of a bad value.
    const shown = quantity.length > 80
      ? `${JSON.stringify(quantity.slice(0, 77))}...`
      : JSON.stringify(quantity);
    throw new Error(`invalid quantity ${shown} (examples: 100m, 0.5, 128Mi, 1G)`);
  }
  const base = Number(m[1]);
  if (m[5]) return base * 10 ** Number(m[5].slice(1));
  return base * SUFFIXES[m[7] ?? ""];
}
