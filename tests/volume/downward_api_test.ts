import { test } from "node:test";
import assert from "node:assert/strict";
import { formatMap, goQuote, volumeFieldValue } from "../../src/volume/downward_api.ts";

test('formatMap writes key="value" lines sorted by key, without a final newline, as the kubelet\'s FormatMap', () => {
  assert.equal(
    formatMap({ zone: "b", app: "web", "example.com/tier": "front" }),
    'app="web"\nexample.com/tier="front"\nzone="b"',
  );
  assert.equal(formatMap({}), "");
  assert.equal(formatMap(undefined), "");
});

for (
  const [input, want] of [
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["two\nlines\ttab\r", '"two\\nlines\\ttab\\r"'],
    ["\x00\x1b\x7f\x07\v\f\b", '"\\x00\\x1b\\x7f\\a\\v\\f\\b"'],
    ["héllo wörld ✓ 日本", '"héllo wörld ✓ 日本"'],
    ["no\u00a0break", '"no\\u00a0break"'],
    ["emoji 😀", '"emoji 😀"'],
    ["\u{e0001}", '"\\U000e0001"'],
  ] as const
) {
  test(`goQuote quotes ${JSON.stringify(input)} as Go's %q does`, () => {
    assert.equal(goQuote(input), want);
  });
}

test("volumeFieldValue formats metadata.annotations as the kubelet does, quoting multi-line values", () => {
  const pod = {
    metadata: { name: "p", annotations: { "kubernetes.io/config.source": "file", note: "a\nb" } },
    spec: { containers: [] },
  };
  assert.equal(
    volumeFieldValue(pod, "metadata.annotations"),
    'kubernetes.io/config.source="file"\nnote="a\\nb"',
  );
  assert.equal(volumeFieldValue(pod, "metadata.annotations['note']"), "a\nb");
  assert.equal(volumeFieldValue(pod, "metadata.labels"), "");
  assert.throws(() => volumeFieldValue(pod, "spec.nodeName"), /unsupported fieldPath/);
});
