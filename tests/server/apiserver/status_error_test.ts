import { test } from "node:test";
import assert from "node:assert/strict";
import {
  gone,
  methodNotAllowed,
  notFound,
  statusResponse,
} from "../../../src/server/apiserver/status_error.ts";

test('notFound is the Status kubectl prints as `pods "nope" not found`', () => {
  assert.deepEqual(notFound("pods", "nope"), {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: 'pods "nope" not found',
    reason: "NotFound",
    details: { name: "nope", kind: "pods" },
    code: 404,
  });
});

test("methodNotAllowed names the verb and resource with code 405", () => {
  const s = methodNotAllowed("pods", "delete");
  assert.equal(s.code, 405);
  assert.equal(s.reason, "MethodNotAllowed");
  assert.equal(s.message, 'delete is not supported on resources of kind "pods"');
});

test("gone is the 410 Expired Status clients relist on", () => {
  assert.equal(gone("too old resource version: 1").code, 410);
  assert.equal(gone("x").reason, "Expired");
});

test("statusResponse answers with the Status's code as JSON", async () => {
  const r = statusResponse(notFound("pods", "x"), { allow: "GET" });
  assert.equal(r.status, 404);
  assert.equal(r.headers.get("content-type"), "application/json");
  assert.equal(r.headers.get("allow"), "GET");
  assert.equal((await r.json()).reason, "NotFound");
});
