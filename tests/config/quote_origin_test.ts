import { test } from "node:test";
import assert from "node:assert/strict";
import { quoteOrigin } from "../../src/config/quote_origin.ts";

test("quoteOrigin leaves plain paths and URLs as written", () => {
  for (
    const plain of [
      "/etc/kubernetes/manifests/etcd.yaml",
      "/m/with space.yaml",
      "http://127.0.0.1:8080/pods?a=b",
      "/m/été.yaml",
    ]
  ) {
    assert.equal(quoteOrigin(plain), plain);
  }
});

test("quoteOrigin JSON-quotes a name with a line break, a control character, a quote or a backslash", () => {
  assert.equal(quoteOrigin("/m/a\nE1127 forged.yaml"), '"/m/a\\nE1127 forged.yaml"');
  assert.equal(quoteOrigin("/m/\u001b[31mred.yaml"), '"/m/\\u001b[31mred.yaml"');
  assert.equal(quoteOrigin('/m/"q".yaml'), '"/m/\\"q\\".yaml"');
  assert.equal(quoteOrigin("/m/a\\b.yaml"), '"/m/a\\\\b.yaml"');
});
