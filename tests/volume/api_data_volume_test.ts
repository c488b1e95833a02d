import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, Volume } from "../../src/api/types.ts";
import { apiDataPayload, apiDataPlugin } from "../../src/volume/api_data_volume.ts";
import type { Payload } from "../../src/volume/payload.ts";
import { objectsOf } from "./_objects.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const node = { cpu: 2, memory: 4 * 1024 ** 3 };
const pod = (volume: Volume): Pod => ({
  metadata: { name: "web-node1", namespace: "default", uid: "u1", labels: { app: "web" } },
  spec: {
    containers: [{
      name: "app",
      image: "nginx",
      resources: { limits: { memory: "64Mi" }, requests: { cpu: "250m" } },
    }],
    volumes: [volume],
  },
});
/** The payload as path -> [text, mode in octal], for readable expectations. */
const files = (p: Payload) =>
  Object.fromEntries(
    [...p].map(([path, f]) => [path, [new TextDecoder().decode(f.data), f.mode.toString(8)]]),
  );

const objects = objectsOf(
  [
    {
      name: "site",
      data: { "index.html": "<h1>hi</h1>", "app.conf": "x=1" },
      binaryData: { "logo.png": bytes("PNG") },
    },
    { name: "other", namespace: "prod", data: { k: "prod" } },
  ],
  [{ name: "creds", data: { user: bytes("admin"), password: bytes("s3cret") } }],
);

const cases: { name: string; volume: Volume; want: Record<string, [string, string]> }[] = [
  {
    name: "a configMap volume holds every key, data and binaryData, with mode 0644",
    volume: { name: "v", configMap: { name: "site" } },
    want: { "index.html": ["<h1>hi</h1>", "644"], "app.conf": ["x=1", "644"], "logo.png": ["PNG", "644"] },
  },
  {
    name:
      "a configMap volume with items holds only those keys, at their paths, with their modes or defaultMode",
    volume: {
      name: "v",
      configMap: {
        name: "site",
        defaultMode: 0o600,
        items: [{ key: "index.html", path: "html/index.html" }, {
          key: "logo.png",
          path: "img/logo",
          mode: 0o444,
        }],
      },
    },
    want: { "html/index.html": ["<h1>hi</h1>", "600"], "img/logo": ["PNG", "444"] },
  },
  {
    name: "an optional configMap that is missing gives an empty volume",
    volume: { name: "v", configMap: { name: "nope", optional: true } },
    want: {},
  },
  {
    name: "an optional configMap skips item keys it does not have",
    volume: {
      name: "v",
      configMap: {
        name: "site",
        optional: true,
        items: [{ key: "nope", path: "a" }, { key: "app.conf", path: "b" }],
      },
    },
    want: { b: ["x=1", "644"] },
  },
  {
    name: "a secret volume holds every key with mode 0644 by default",
    volume: { name: "v", secret: { secretName: "creds" } },
    want: { user: ["admin", "644"], password: ["s3cret", "644"] },
  },
  {
    name: "a secret volume with defaultMode 0400",
    volume: {
      name: "v",
      secret: { secretName: "creds", defaultMode: 0o400, items: [{ key: "password", path: "pw" }] },
    },
    want: { pw: ["s3cret", "400"] },
  },
  {
    name: "a downwardAPI volume writes the pod's name, namespace, uid, labels and a container's resources",
    volume: {
      name: "v",
      downwardAPI: {
        items: [
          { path: "name", fieldRef: { fieldPath: "metadata.name" } },
          { path: "ns", fieldRef: { fieldPath: "metadata.namespace" } },
          { path: "uid", fieldRef: { fieldPath: "metadata.uid" }, mode: 0o400 },
          { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
          { path: "app", fieldRef: { fieldPath: "metadata.labels['app']" } },
          {
            path: "mem",
            resourceFieldRef: { containerName: "app", resource: "limits.memory", divisor: "1Mi" },
          },
          {
            path: "cpu",
            resourceFieldRef: { containerName: "app", resource: "requests.cpu", divisor: "1m" },
          },
          { path: "cpulimit", resourceFieldRef: { containerName: "app", resource: "limits.cpu" } },
        ],
      },
    },
    want: {
      name: ["web-node1", "644"],
      ns: ["default", "644"],
      uid: ["u1", "400"],
      labels: ['app="web"', "644"],
      app: ["web", "644"],
      mem: ["64", "644"],
      cpu: ["250", "644"],
      cpulimit: ["2", "644"],
    },
  },
  {
    name: "a projected volume gathers configMap, secret and downwardAPI sources with its defaultMode",
    volume: {
      name: "v",
      projected: {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: "site", items: [{ key: "app.conf", path: "conf/app.conf" }] } },
          { secret: { name: "creds", items: [{ key: "user", path: "conf/user", mode: 0o400 }] } },
          { downwardAPI: { items: [{ path: "podname", fieldRef: { fieldPath: "metadata.name" } }] } },
          { secret: { name: "absent", optional: true } },
        ],
      },
    },
    want: { "conf/app.conf": ["x=1", "440"], "conf/user": ["admin", "400"], podname: ["web-node1", "440"] },
  },
  {
    name: "a projected volume's later source replaces an earlier one's file at the same path",
    volume: {
      name: "v",
      projected: {
        sources: [{ configMap: { name: "site", items: [{ key: "app.conf", path: "f" }] } }, {
          secret: { name: "creds", items: [{ key: "user", path: "f" }] },
        }],
      },
    },
    want: { f: ["admin", "644"] },
  },
];

for (const c of cases) {
  test(`apiDataPayload: ${c.name}`, () => {
    assert.deepEqual(files(apiDataPayload(pod(c.volume), c.volume, objects, node)), c.want);
  });
}

const failures: { name: string; volume: Volume; message: string }[] = [
  {
    name: "a missing configMap",
    volume: { name: "v", configMap: { name: "nope" } },
    message: 'configmap "nope" not found',
  },
  {
    name: "a configMap of another namespace",
    volume: { name: "v", configMap: { name: "other" } },
    message: 'configmap "other" not found',
  },
  {
    name: "a missing configMap key",
    volume: { name: "v", configMap: { name: "site", items: [{ key: "nope", path: "a" }] } },
    message: "configmap references non-existent config key: nope",
  },
  {
    name: "a missing secret",
    volume: { name: "v", secret: { secretName: "nope" } },
    message: 'secret "nope" not found',
  },
  {
    name: "a missing secret key",
    volume: { name: "v", secret: { secretName: "creds", items: [{ key: "token", path: "t" }] } },
    message: "references non-existent secret key: token",
  },
  {
    name: "two missing sources of a projected volume, reported together",
    volume: { name: "v", projected: { sources: [{ configMap: { name: "a" } }, { secret: { name: "b" } }] } },
    message: '[configmap "a" not found, secret "b" not found]',
  },
  {
    name: "a resourceFieldRef to a container not in the pod",
    volume: {
      name: "v",
      downwardAPI: {
        items: [{ path: "x", resourceFieldRef: { containerName: "nope", resource: "limits.cpu" } }],
      },
    },
    message: "container nope not found",
  },
];

for (const f of failures) {
  test(`apiDataPayload fails with the kubelet's message for ${f.name}`, () => {
    assert.throws(() => apiDataPayload(pod(f.volume), f.volume, objects, node), { message: f.message });
  });
}

test("apiDataPayload never puts a secret's value in its messages", () => {
  const volume: Volume = { name: "v", secret: { secretName: "creds", items: [{ key: "nope", path: "p" }] } };
  assert.throws(
    () => apiDataPayload(pod(volume), volume, objects, node),
    (e: Error) => !e.message.includes("s3cret"),
  );
});

test("apiDataPlugin lays out secret and projected volumes in memory, configMap and downwardAPI on disk", () => {
  assert.deepEqual(apiDataPlugin({ name: "v", configMap: { name: "x" } }), {
    dir: "kubernetes.io~configmap",
    memory: false,
  });
  assert.deepEqual(apiDataPlugin({ name: "v", secret: { secretName: "x" } }), {
    dir: "kubernetes.io~secret",
    memory: true,
  });
  assert.deepEqual(apiDataPlugin({ name: "v", downwardAPI: {} }), {
    dir: "kubernetes.io~downward-api",
    memory: false,
  });
  assert.deepEqual(apiDataPlugin({ name: "v", projected: {} }), {
    dir: "kubernetes.io~projected",
    memory: true,
  });
  assert.equal(apiDataPlugin({ name: "v", emptyDir: {} }), undefined);
});
