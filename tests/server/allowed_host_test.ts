import { test } from "node:test";
import assert from "node:assert/strict";
import { hostHeaderName, isAllowedHost } from "../../src/server/allowed_host.ts";

const opts = { nodeName: "node1", address: "192.0.2.10" };

for (
  const host of [
    "localhost",
    "localhost:10255",
    "LOCALHOST.",
    "127.0.0.1",
    "127.0.0.1:10255",
    "127.5.6.7:1",
    "[::1]",
    "[::1]:10255",
    "node1",
    "Node1:10255",
    "192.0.2.10:10255",
    "198.51.100.7",
  ]
) {
  test(`isAllowedHost accepts ${host}`, () => assert.equal(isAllowedHost(host, opts), true));
}

for (
  const host of [
    "evil.example",
    "evil.example:10255",
    "localhost.evil.example",
    "127.0.0.1.evil.example",
    "node1.evil.example",
    "",
    "node1@evil.example",
    "a b",
  ]
) {
  test(`isAllowedHost refuses ${JSON.stringify(host)}`, () => assert.equal(isAllowedHost(host, opts), false));
}

test("isAllowedHost accepts a configured IPv6 --address with or without brackets", () => {
  assert.equal(isAllowedHost("[fd00::5]:10255", { address: "fd00::5" }), true);
  assert.equal(isAllowedHost("[fd00::5]", { address: "[fd00::5]" }), true);
});

test("hostHeaderName drops the port, lower-cases and strips a trailing dot", () => {
  assert.equal(hostHeaderName("Node1.Example.:80"), "node1.example");
  assert.equal(hostHeaderName("[::1]:8080"), "[::1]");
  assert.equal(hostHeaderName("x/y"), undefined);
});
