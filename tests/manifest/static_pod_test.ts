import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { applyDefaults } from "../../src/manifest/defaults.ts";
import { nginx as walkthroughPod } from "../testdata/walkthrough_pod.ts";
import {
  formatRfc3339Nano,
  podFullName,
  type StaticPodOptions,
  toStaticPod,
} from "../../src/manifest/static_pod.ts";

/** The walkthrough's pod with the API server's defaults, as the file source hands it on. */
function nginx(): Pod {
  return applyDefaults(walkthroughPod());
}

const OPTS: StaticPodOptions = {
  nodeName: "Node1",
  source: "file",
  origin: "/etc/kubelet.d/nginx.yaml",
  seen: new Date("2024-05-06T07:08:09.120Z"),
};

describe("toStaticPod", () => {
  test("names, places and annotates the pod as the kubelet does", async () => {
    const pod = await toStaticPod(nginx(), OPTS);
    assert.equal(pod.metadata.name, "nginx-node1");
    assert.equal(pod.metadata.namespace, "default");
    assert.equal(pod.metadata.creationTimestamp, null);
    assert.equal(pod.spec.nodeName, "Node1");
    assert.match(pod.metadata.uid ?? "", /^[0-9a-f]{32}$/);
    assert.deepEqual(pod.metadata.annotations, {
      "kubernetes.io/config.hash": pod.metadata.uid,
      "kubernetes.io/config.source": "file",
      "kubernetes.io/config.seen": "2024-05-06T07:08:09.12Z",
    });
    assert.deepEqual(pod.spec.tolerations, [{ operator: "Exists", effect: "NoExecute" }]);
    assert.deepEqual(pod.status, { phase: "Pending" });
    assert.deepEqual(pod.spec.containers, nginx().spec.containers);
  });

  test("leaves its argument untouched", async () => {
    const pod = nginx();
    await toStaticPod(pod, OPTS);
    assert.deepEqual(pod, nginx());
  });

  test("derives the same UID from the same content, whenever it was seen and however keys are ordered", async () => {
    const a = await toStaticPod(nginx(), OPTS);
    const { spec, metadata, kind, apiVersion } = nginx();
    const b = await toStaticPod({ spec, metadata, kind, apiVersion }, { ...OPTS, seen: new Date() });
    assert.equal(a.metadata.uid, b.metadata.uid);
  });

  const changes: [string, (pod: Pod) => void, Partial<StaticPodOptions>][] = [
    ["the content", (pod) => (pod.spec.containers[0].image = "nginx:1.27"), {}],
    ["a label", (pod) => (pod.metadata.labels = { tier: "web" }), {}],
    ["the file", () => {}, { origin: "/etc/kubelet.d/other.yaml" }],
    ["the node", () => {}, { nodeName: "node2" }],
    ["the source", () => {}, { source: "http" }],
  ];
  for (const [what, change, opts] of changes) {
    test(`derives another UID when ${what} changes`, async () => {
      const pod = nginx();
      change(pod);
      const before = await toStaticPod(nginx(), OPTS);
      const after = await toStaticPod(pod, { ...OPTS, ...opts });
      assert.notEqual(after.metadata.uid, before.metadata.uid);
      assert.equal(after.metadata.annotations?.["kubernetes.io/config.hash"], after.metadata.uid);
    });
  }

  test("keeps a UID, a namespace and annotations the manifest sets", async () => {
    const pod = nginx();
    pod.metadata = { ...pod.metadata, uid: "1234", namespace: "kube-system", annotations: { team: "web" } };
    const result = await toStaticPod(pod, OPTS);
    assert.equal(result.metadata.uid, "1234");
    assert.equal(result.metadata.namespace, "kube-system");
    assert.equal(result.metadata.annotations?.team, "web");
    assert.equal(result.metadata.annotations?.["kubernetes.io/config.hash"], "1234");
  });

  test("adds the NoExecute toleration to file pods once, and not to http pods", async () => {
    const pod = nginx();
    pod.spec.tolerations = [{ operator: "Exists", effect: "NoExecute" }, { key: "a", operator: "Exists" }];
    assert.deepEqual((await toStaticPod(pod, OPTS)).spec.tolerations, pod.spec.tolerations);
    const fromUrl = await toStaticPod(nginx(), {
      ...OPTS,
      source: "http",
      origin: "http://example.com/pods",
    });
    assert.equal(fromUrl.spec.tolerations, undefined);
    assert.equal(fromUrl.metadata.annotations?.["kubernetes.io/config.source"], "http");
  });
});

describe("podFullName", () => {
  test("joins name and namespace with an underscore", async () => {
    assert.equal(podFullName(await toStaticPod(nginx(), OPTS)), "nginx-node1_default");
  });
});

describe("formatRfc3339Nano", () => {
  const cases: [string, string][] = [
    ["2024-05-06T07:08:09.123Z", "2024-05-06T07:08:09.123Z"],
    ["2024-05-06T07:08:09.120Z", "2024-05-06T07:08:09.12Z"],
    ["2024-05-06T07:08:09.100Z", "2024-05-06T07:08:09.1Z"],
    ["2024-05-06T07:08:09.000Z", "2024-05-06T07:08:09Z"],
    ["2024-05-06T07:08:00.000Z", "2024-05-06T07:08:00Z"],
    ["2024-05-06T00:00:00.010Z", "2024-05-06T00:00:00.01Z"],
  ];
  for (const [iso, expected] of cases) {
    test(`writes ${iso} as ${expected}`, () => assert.equal(formatRfc3339Nano(new Date(iso)), expected));
  }
});
