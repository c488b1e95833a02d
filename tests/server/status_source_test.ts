import { test } from "node:test";
import assert from "node:assert/strict";
import { isLoopbackAddress } from "../../src/server/status_source.ts";

test("isLoopbackAddress tells addresses only this host reaches from the others", () => {
  for (const a of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1"]) assert.equal(isLoopbackAddress(a), false, a);
});
