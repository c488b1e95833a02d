import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeConfigObject } from "../../src/manifest/decode_config_object.ts";
import { decodeManifest } from "../../src/manifest/decode.ts";
import { decodeBase64 } from "../../src/manifest/_base64.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

function errors(doc: Record<string, unknown>): string[] {
  return decodeConfigObject(doc, "/m/x.yaml").errors;
}

describe("decodeManifest with ConfigMaps and Secrets", () => {
  test("gives ConfigMap and Secret documents as objects beside pods, also in a List", () => {
    const docs = decodeManifest(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n" +
        "---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n",
    );
    assert.equal(docs[0].pod?.metadata.name, "p");
    assert.deepEqual(docs[1].object, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
    assert.equal(docs[1].line, 5);
    assert.equal(docs[2].item, 0);
    assert.equal(docs[2].object?.kind, "Secret");
  });

  test("a JSON syntax error never quotes the text around it (a Secret's value)", () => {
    for (
      const text of ['{"kind": "Secret", "stringData": {"a": hunter2}}', '{"stringData": {"a": "hunter2" x}}']
    ) {
      const [doc] = decodeManifest(text);
      assert.match(doc.error ?? "", /^invalid JSON: /);
      assert.ok(!doc.error!.includes("hunter2"), doc.error);
    }
  });

  test("refuses another apiVersion, and objects in a PodList", () => {
    const [wrong] = decodeManifest("apiVersion: v2\nkind: ConfigMap\n");
    assert.equal(wrong.error, "apiVersion: expected v1, got v2");
    const [inPodList] = decodeManifest(
      "apiVersion: v1\nkind: PodList\nitems:\n- {kind: Secret, metadata: {name: s}}\n",
    );
    assert.equal(inPodList.error, "items[0]: kind: expected Pod, got Secret");
  });
});

describe("decodeConfigObject", () => {
  test("a ConfigMap with data and binaryData, in the default namespace", () => {
    const { held, errors } = decodeConfigObject({
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { "a.conf": "x=1\n" },
      binaryData: { bin: "AAEC" },
      immutable: true,
    }, "/m/c.yaml");
    assert.deepEqual(errors, []);
    assert.deepEqual(held, {
      kind: "ConfigMap",
      object: {
        namespace: "default",
        name: "c",
        data: { "a.conf": "x=1\n" },
        binaryData: { bin: new Uint8Array([0, 1, 2]) },
        immutable: true,
        origin: "/m/c.yaml",
      },
    });
  });

  test("a Secret's data is base64-decoded, stringData merged over it, type Opaque by default", () => {
    const { held } = decodeConfigObject({
      kind: "Secret",
      metadata: { name: "s", namespace: "kube-system" },
      data: { user: "YWRtaW4=", pass: "b2xk" },
      stringData: { pass: "new" },
    }, "/m/s.yaml");
    assert.equal(held?.kind, "Secret");
    if (held?.kind !== "Secret") return;
    assert.equal(held.object.namespace, "kube-system");
    assert.equal(held.object.type, "Opaque");
    assert.deepEqual(held.object.data, { user: bytes("admin"), pass: bytes("new") });
  });

  test("key names as the API server checks them", () => {
    const long = "k".repeat(254);
    assert.deepEqual(
      errors({
        kind: "ConfigMap",
        metadata: { name: "c" },
        data: { ".": "", "..": "", "..x": "", "a b": "", [long]: "", "ok-_.1": "" },
      }),
      [
        `data[.]: Invalid value: ".": must not be '.'`,
        `data[..]: Invalid value: "..": must not be '..'`,
        `data[..x]: Invalid value: "..x": must not start with '..'`,
        `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        `data[${long}]: Invalid value: "${long.slice(0, 76)}...: must be no more than 253 characters`,
      ],
    );
  });

  test("a key in both data and binaryData is refused", () => {
    assert.deepEqual(
      errors({ kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" }, binaryData: { a: "MQ==" } }),
      [
        `data[a]: Invalid value: "a": duplicate of key present in binaryData`,
      ],
    );
  });

  test("more than 1 MiB of data in all is refused", () => {
    const half = "x".repeat(1 << 19);
    assert.deepEqual(errors({ kind: "ConfigMap", metadata: { name: "c" }, data: { a: half, b: half } }), []);
    assert.deepEqual(
      errors({ kind: "ConfigMap", metadata: { name: "c" }, data: { a: half, b: half + "y" } }),
      [
        "data: Too long: must have at most 1048576 bytes",
      ],
    );
    assert.deepEqual(
      errors({ kind: "Secret", metadata: { name: "s" }, stringData: { a: half, b: half + "y" } }),
      [
        "data: Too long: must have at most 1048576 bytes",
      ],
    );
  });

  test("bad base64 and values of the wrong type never show a Secret's value", () => {
    const found = errors({
      kind: "Secret",
      metadata: { name: "s" },
      data: { a: "hunter2!", b: 12345 },
      stringData: { c: 678 },
    });
    assert.deepEqual(found, [
      `data[a]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 7`,
      `data[b]: Invalid value: "<secret contents redacted>": must be a base64 string`,
      `stringData[c]: Invalid value: "<secret contents redacted>": must be a string`,
    ]);
    assert.ok(!found.join("\n").includes("hunter2") && !found.join("\n").includes("12345"));
  });

  test("a dockerconfigjson Secret needs its key, holding a JSON object, and never echoes it", () => {
    const type = "kubernetes.io/dockerconfigjson";
    assert.deepEqual(errors({ kind: "Secret", metadata: { name: "s" }, type }), [
      "data[.dockerconfigjson]: Required value",
    ]);
    const broken = errors({
      kind: "Secret",
      metadata: { name: "s" },
      type,
      stringData: { ".dockerconfigjson": '{"auths": pass' },
    });
    assert.equal(broken.length, 1);
    assert.match(
      broken[0],
      /^stringData\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": not valid JSON/,
    );
    assert.ok(!broken[0].includes("pass"));
    assert.deepEqual(
      errors({
        kind: "Secret",
        metadata: { name: "s" },
        type,
        stringData: { ".dockerconfigjson": '{"auths":{}}' },
      }),
      [],
    );
    assert.deepEqual(
      errors({ kind: "Secret", metadata: { name: "s" }, type: "kubernetes.io/dockercfg", data: {} }),
      [
        "data[.dockercfg]: Required value",
      ],
    );
  });

  test("the other Secret types' required keys", () => {
    const check = (type: string, data: Record<string, string> = {}) =>
      errors({ kind: "Secret", metadata: { name: "s" }, type, stringData: data });
    assert.deepEqual(check("kubernetes.io/tls"), [
      "data[tls.crt]: Required value",
      "data[tls.key]: Required value",
    ]);
    assert.deepEqual(check("kubernetes.io/basic-auth"), [
      "data[username]: Required value",
      "data[password]: Required value",
    ]);
    assert.deepEqual(check("kubernetes.io/basic-auth", { username: "" }), []);
    assert.deepEqual(check("kubernetes.io/ssh-auth", { "ssh-privatekey": "" }), [
      "data[ssh-privatekey]: Required value",
    ]);
    assert.deepEqual(check("example.com/custom"), []);
  });

  test("metadata: name required and a DNS subdomain, namespace a DNS label", () => {
    assert.deepEqual(errors({ kind: "ConfigMap" }), ["metadata.name: Required value"]);
    assert.deepEqual(errors({ kind: "ConfigMap", metadata: { name: "Bad_Name", namespace: "a.b" } }), [
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      `metadata.namespace: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
    ]);
  });

  test("immutable must be a boolean; unknown fields are named", () => {
    const result = decodeConfigObject(
      { kind: "ConfigMap", metadata: { name: "c", nmae: "x" }, immutable: "yes", dat: {} },
      "/m/c.yaml",
    );
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0], /^immutable: Invalid value: "yes"/);
    assert.deepEqual(result.unknown, ["dat", "metadata.nmae"]);
  });

  test("a key named __proto__ is an ordinary key", () => {
    const doc = JSON.parse('{"kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"x"}}');
    const { held } = decodeConfigObject(doc, "/m/c.yaml");
    assert.equal(held?.kind === "ConfigMap" && Object.hasOwn(held.object.data, "__proto__"), true);
  });
});

describe("decodeBase64", () => {
  test("decodes standard padded base64, skipping line breaks", () => {
    assert.deepEqual(decodeBase64("aGVs\nbG8="), bytes("hello"));
    assert.deepEqual(decodeBase64(""), new Uint8Array());
    assert.deepEqual(decodeBase64("YQ=="), bytes("a"));
  });

  test("names the first wrong input byte", () => {
    assert.equal(decodeBase64("YQ"), 0);
    assert.equal(decodeBase64("Y$=="), 1);
    assert.equal(decodeBase64("YQ==YQ=="), 4);
    assert.equal(decodeBase64("aGVsbG8"), 4);
  });
});
