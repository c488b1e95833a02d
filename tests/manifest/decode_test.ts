import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeManifest, decodeManifestAsync } from "../../src/manifest/decode.ts";
import { aliasBomb, deepBlock, deepFlow, deepJson, manyAnnotations, mergeBomb } from "./_hostile.ts";

const NGINX = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: nginx
      ports:
        - containerPort: 80
      volumeMounts:
        - mountPath: /var/log/nginx
          name: nginx-logs
    - name: log-truncator
      image: busybox
      command: [/bin/sh]
      args: [-c, 'while true; do cat /dev/null > /logdir/access.log; sleep 10; done']
      volumeMounts:
        - mountPath: /logdir
          name: nginx-logs
  volumes:
    - name: nginx-logs
      emptyDir: {}
`;

describe("decodeManifest", () => {
  test("decodes the walkthrough's YAML pod", () => {
    const docs = decodeManifest(NGINX);
    assert.equal(docs.length, 1);
    const [doc] = docs;
    assert.equal(doc.error, undefined);
    assert.equal(doc.index, 0);
    assert.equal(doc.line, 1);
    assert.equal(doc.pod?.metadata.name, "nginx");
    assert.deepEqual(doc.pod?.spec.containers.map((c) => c.name), ["nginx", "log-truncator"]);
    assert.deepEqual(doc.pod?.spec.containers[1].args, [
      "-c",
      "while true; do cat /dev/null > /logdir/access.log; sleep 10; done",
    ]);
    assert.deepEqual(doc.pod?.spec.volumes, [{ name: "nginx-logs", emptyDir: {} }]);
  });

  test("decodes every document of a multi-document file, skipping empty ones", () => {
    // A comment before the first "---" belongs to the first document.
    const text = `# leading comment\n---\n${NGINX}---\n---\n# only a comment\n---\n${
      NGINX.replace("name: nginx\n", "name: web\n")
    }---\n`;
    const docs = decodeManifest(text);
    assert.deepEqual(docs.map((d) => [d.index, d.line, d.pod?.metadata.name]), [[0, 3, "nginx"], [
      3,
      30,
      "web",
    ]]);
  });

  test("decides JSON by content and reports JSON's own error for broken JSON", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { containers: [] } };
    assert.equal(decodeManifest(`\n  ${JSON.stringify(pod)}`)[0].pod?.metadata.name, "web");
    const [broken] = decodeManifest('\n{"apiVersion": "v1", "kind": "Pod",}');
    assert.equal(broken.pod, undefined);
    assert.match(broken.error ?? "", /^invalid JSON: /);
    assert.equal(broken.line, 2);
  });

  test("reports a YAML syntax error with its line and still decodes the other documents", () => {
    const text = `${NGINX}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n`;
    const docs = decodeManifest(text);
    assert.equal(docs.length, 2);
    assert.equal(docs[0].pod?.metadata.name, "nginx");
    assert.match(docs[1].error ?? "", /^invalid YAML: /);
    assert.equal(docs[1].index, 1);
    assert.ok(docs[1].line >= 25, `line ${docs[1].line}`);
  });

  const rejected: [string, string, string][] = [
    ["another kind", "apiVersion: apps/v1\nkind: Deployment\n", "kind: expected Pod, got Deployment"],
    ["another apiVersion", "apiVersion: v2\nkind: Pod\n", "apiVersion: expected v1, got v2"],
    ["no kind", "apiVersion: v1\nmetadata: {name: x}\n", "kind: Required value: expected Pod"],
    ["no apiVersion", "kind: Pod\n", "apiVersion: Required value: expected v1"],
    ["a scalar", "just text\n", "expected a Pod object, got just text"],
    ["a list", "- a\n- b\n", "expected a Pod object, got a list"],
  ];
  for (const [what, text, error] of rejected) {
    test(`rejects a document that is ${what}`, () => {
      assert.deepEqual(decodeManifest(text), [{ index: 0, line: 1, error }]);
    });
  }

  test("gives a pod without metadata or spec empty ones, for validation to report", () => {
    const [doc] = decodeManifest("apiVersion: v1\nkind: Pod\n");
    assert.deepEqual(doc.pod, { apiVersion: "v1", kind: "Pod", metadata: {}, spec: {} });
  });

  test("expands a PodList into its items, which need no kind", () => {
    const list = {
      apiVersion: "v1",
      kind: "PodList",
      metadata: {},
      items: [{ metadata: { name: "a" }, spec: {} }, {
        kind: "Pod",
        apiVersion: "v1",
        metadata: { name: "b" },
      }],
    };
    const docs = decodeManifest(JSON.stringify(list));
    assert.deepEqual(docs.map((d) => [d.index, d.item, d.pod?.metadata.name]), [[0, 0, "a"], [0, 1, "b"]]);
  });

  test("expands a List and reports the items that are not pods", () => {
    const text =
      "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: a}}\n" +
      "  - {apiVersion: v1, kind: Service, metadata: {name: s}}\n";
    const docs = decodeManifest(text);
    assert.equal(docs[0].pod?.metadata.name, "a");
    assert.deepEqual(docs[1], {
      index: 0,
      item: 1,
      line: 1,
      error: "items[1]: kind: expected Pod, got Service",
    });
  });

  test("decodes nothing from an empty or comment-only file", () => {
    assert.deepEqual(decodeManifest(""), []);
    assert.deepEqual(decodeManifest("# nothing here\n---\n"), []);
  });

  test("ignores a byte-order mark", () => {
    assert.equal(decodeManifest(`\uFEFF${NGINX}`)[0].pod?.metadata.name, "nginx");
    assert.equal(decodeManifest('\uFEFF{"apiVersion":"v1","kind":"Pod"}')[0].error, undefined);
  });
});

describe("decodeManifest on hostile text", () => {
  const cases: [string, string, RegExp][] = [
    [
      "merge keys that double at each level",
      mergeBomb(),
      /^invalid YAML: aliases copy more than 10000 nodes$/,
    ],
    [
      "aliases of aliases (billion laughs)",
      aliasBomb(),
      /^invalid YAML: aliases copy more than 10000 nodes$/,
    ],
    ["20,000 nested flow lists", deepFlow(), /^invalid YAML: nested more than 100 levels deep$/],
    ["2,000 nested block maps", deepBlock(), /^invalid YAML: nested more than 100 levels deep$/],
    ["101 nested lists", deepFlow(101), /^invalid YAML: nested more than 100 levels deep$/],
    ["20,000 nested JSON objects", deepJson(), /^invalid JSON: nested more than 100 levels deep$/],
    ["a map of 30,000 small entries", manyAnnotations(600_000), /^invalid YAML: more than 20000 tokens$/],
    [
      "a JSON object with a repeated key",
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "name": "b"}}',
      /^invalid JSON: duplicate key "name"$/,
    ],
    [
      "a JSON object whose keys differ only in their escapes",
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "n\\u0061me": "b"}}',
      /^invalid JSON: duplicate key "name"$/,
    ],
    [
      "a YAML map with a repeated key",
      "apiVersion: v1\nkind: Pod\nkind: Pod\n",
      /^invalid YAML: duplicate key "kind"$/,
    ],
  ];
  for (const [name, text, error] of cases) {
    test(`refuses ${name} with one clear error, never throwing`, async () => {
      const docs = decodeManifest(text);
      assert.equal(docs.length, 1);
      assert.match(docs[0].error ?? "", error);
      assert.deepEqual(await decodeManifestAsync(text), docs);
    });
  }

  test("reads a merge key and a few aliases as go-yaml does", () => {
    const text = "base: &b {image: busybox}\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n" +
      "spec:\n  containers:\n    - <<: *b\n      name: c\n    - <<: *b\n      name: d\n";
    const [doc] = decodeManifest(text);
    assert.equal(doc.error, undefined);
    assert.deepEqual(doc.pod?.spec.containers, [{ image: "busybox", name: "c" }, {
      image: "busybox",
      name: "d",
    }]);
  });

  test("reads lists 100 levels deep, and JSON with the same keys in different objects", () => {
    assert.equal(decodeManifest(deepFlow(99))[0].error, "kind: Required value: expected Pod");
    const json = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": {"name": "x"}}}';
    assert.equal(decodeManifest(json)[0].error, undefined);
  });

  test("decodeManifestAsync gives what decodeManifest gives for a good manifest", async () => {
    assert.deepEqual(await decodeManifestAsync(NGINX), decodeManifest(NGINX));
  });
});

test("decodeManifest refuses more than 110 documents, or pods in Lists, with one error; it reads 110", () => {
  const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {}\n`;
  const docs = (n: number) => Array.from({ length: n }, (_, i) => `---\n${pod(i)}`).join("");
  assert.deepEqual(
    decodeManifest(docs(110)).map((d) => d.pod?.metadata.name),
    Array.from({ length: 110 }, (_, i) => `p${i}`),
  );
  assert.deepEqual(decodeManifest(docs(111)), [{
    index: 110,
    line: 551,
    error: "invalid YAML: more than 110 documents",
  }]);
  assert.deepEqual(decodeManifest("---\n".repeat(5_000)), [{
    index: 110,
    line: 111,
    error: "invalid YAML: more than 110 documents",
  }]);
  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ metadata: { name: `p${i}` }, spec: {} }));
  const list = (n: number) => ({ apiVersion: "v1", kind: "PodList", items: items(n) });
  const tooMany = "more than 110 pods (documents and List items)";
  assert.equal(decodeManifest(JSON.stringify(list(110))).length, 110);
  assert.deepEqual(decodeManifest(JSON.stringify(list(111))), [{ index: 0, line: 1, error: tooMany }]);
  // The items of all documents count together.
  const yamlList = (n: number) => `apiVersion: v1\nkind: PodList\nitems: ${JSON.stringify(items(n))}\n`;
  assert.deepEqual(decodeManifest(`${yamlList(100)}---\n${yamlList(11)}`), [{
    index: 1,
    line: 5,
    error: tooMany,
  }]);
  assert.equal(decodeManifest(`${yamlList(100)}---\n${yamlList(10)}`).length, 110);
});

test("decodeManifest gives each document of a long file the line it starts on, and each error its line", () => {
  const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n";
  const text = `${pod}---\n${pod}---\nkind: [\n---\n${pod}`;
  assert.deepEqual(decodeManifest(text).map((d) => [d.index, d.line, d.error ?? "pod"]), [
    [0, 1, "pod"],
    [1, 6, "pod"],
    [2, 12, "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    [3, 13, "pod"],
  ]);
});

test("decodeManifest bounds JSON by tokens, not by the length of its strings", () => {
  const many = JSON.stringify({ apiVersion: "v1", kind: "Pod", a: Array(60_000).fill(1) });
  assert.equal(decodeManifest(many)[0].error, "invalid JSON: more than 20000 tokens");
  const long = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "A-B.C".repeat(100_000) } });
  assert.equal(decodeManifest(long)[0].error, undefined);
});

test("decodeManifest refuses a double-quoted YAML string over 256 KiB, and reads a block string of 1 MiB", () => {
  const quoted = `apiVersion: v1\nkind: Pod\nmetadata: {name: "${"x".repeat(300_000)}"}\n`;
  assert.equal(
    decodeManifest(quoted)[0].error,
    "invalid YAML: a double-quoted string longer than 262144 characters (use a block scalar, |)",
  );
  const block = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: |\n    ${"x".repeat(1 << 20)}\n`;
  assert.equal(decodeManifest(block)[0].pod?.metadata.name?.length, (1 << 20) + 1);
});
