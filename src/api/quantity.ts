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
  // `\d+(?:\.\d*)?`, not `\d+\.?\d*`: one way to split the digits, so a long non-quantity fails in linear time.
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
    quantity.trim(),
  );
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(quantity)} (examples: 100m, 0.5, 128Mi, 1G)`);
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIXES[m[3] ?? ""];
}
