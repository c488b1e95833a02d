/**
 * Checks a `/pods` response the way Kubernetes clients would read it: the
 * `kubernetes-models` v1 schema validates it, and `@kubernetes/client-node`'s
 * ObjectSerializer decodes it as `V1PodList` without losing a field or a date.
 *
 * @module
 */
import assert from "node:assert/strict";
import { PodList } from "kubernetes-models/v1";
import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Drops null and undefined, and writes every timestamp as `Date#toISOString` would. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "string" && ISO_TIME.test(value)) return new Date(value).toISOString();
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = normalise(v);
  return out;
}

/** Every `Date` in a decoded object is a real date. */
function assertDates(value: unknown, path = "$"): void {
  if (value instanceof Date) {
    assert.ok(!Number.isNaN(value.getTime()), `${path} decodes to an invalid date`);
  } else if (Array.isArray(value)) value.forEach((v, i) => assertDates(v, `${path}[${i}]`));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) assertDates(v, `${path}.${k}`);
  }
}

/**
 * Validates `body` against the v1 PodList schema and decodes it as a
 * `V1PodList`; throws an AssertionError naming what does not fit.
 */
export function checkPodList(body: unknown): void {
  try {
    new PodList(body as ConstructorParameters<typeof PodList>[0]).validate();
  } catch (error) {
    throw new assert.AssertionError({
      message: `/pods does not pass the v1 PodList schema: ${(error as Error).message}`,
    });
  }
  const decoded = ObjectSerializer.deserialize(body, "V1PodList");
  assert.equal(decoded?.constructor?.name, "V1PodList");
  assertDates(decoded);
  // A field the client does not know is dropped when it encodes the object again.
  const again = ObjectSerializer.serialize(decoded, "V1PodList");
  assert.deepEqual(normalise(again), normalise(body), "/pods holds fields that V1PodList does not know");
}
