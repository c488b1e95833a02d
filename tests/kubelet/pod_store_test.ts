import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../src/api/types.ts";
import { PodStore, splitFullName } from "../../src/kubelet/pod_store.ts";

const pod = (uid: string): Pod => ({
  metadata: { name: "web-n", namespace: "default", uid },
  spec: { containers: [{ name: "main", image: "busybox" }] },
});
const t0 = new Date("2026-11-30T00:00:00Z"), t1 = new Date("2026-11-30T00:01:00Z");

test("PodStore hands a worker the pod as it is now, with the version it replaced", () => {
  const store = new PodStore();
  store.apply("web-n_default", { op: "add", pod: pod("u1"), origin: "a.yaml" }, t0);
  assert.deepEqual(store.updateFor("web-n_default"), {
    key: "web-n_default",
    name: "web-n",
    namespace: "default",
    record: { pod: pod("u1"), origin: "a.yaml", acceptedAt: t0, previous: undefined },
    previous: undefined,
  });
  store.apply("web-n_default", { op: "update", pod: pod("u2"), origin: "a.yaml" }, t1);
  const update = store.updateFor("web-n_default");
  assert.equal(update.record?.pod.metadata.uid, "u2");
  assert.equal(update.record?.acceptedAt, t1, "an edit is a new version, accepted now");
  assert.equal(update.previous?.metadata.uid, "u1", "the old version's preStop hooks and grace apply");
});

test("PodStore keeps a removed pod for its teardown until its containers are gone", () => {
  const store = new PodStore();
  store.apply("web-n_default", { op: "add", pod: pod("u1"), origin: "a.yaml" }, t0);
  store.apply("web-n_default", { op: "remove", pod: pod("u1"), origin: "a.yaml" }, t1);
  const update = store.updateFor("web-n_default");
  assert.equal(update.record, null, "no source wants it: stop it");
  assert.equal(update.previous?.metadata.uid, "u1");
  assert.ok(store.wasRemoved("web-n_default"));
  assert.deepEqual(
    store.podList(() => ({ phase: "Unknown" })).items,
    [],
    "a removed pod leaves /pods at once",
  );
  store.forget("web-n_default");
  assert.equal(store.updateFor("web-n_default").previous, undefined);
});

test("PodStore keeps a sync's status only for the version that was synced", () => {
  const store = new PodStore();
  store.apply("web-n_default", { op: "add", pod: pod("u1"), origin: "a.yaml" }, t0);
  const old = store.get("web-n_default")!;
  store.apply("web-n_default", { op: "update", pod: pod("u2"), origin: "a.yaml" }, t1);
  const result = { waiting: {}, started: 1 };
  assert.equal(store.synced("web-n_default", old, result, () => ({ phase: "Running" })), undefined);
  assert.equal(
    store.get("web-n_default")!.status,
    undefined,
    "a stale sync does not overwrite the new pod's status",
  );
  const now = store.get("web-n_default")!;
  assert.deepEqual(store.synced("web-n_default", now, result, () => ({ phase: "Pending" })), {
    phase: "Pending",
  });
  assert.deepEqual(store.podList(() => ({ phase: "Unknown" })).items[0].status, { phase: "Pending" });
});

test("PodStore lists pods sorted by full name, building a status for pods not synced yet", () => {
  const store = new PodStore();
  for (const key of ["b_default", "a_default"]) {
    store.apply(key, { op: "add", pod: pod(key), origin: `${key}.yaml` }, t0);
  }
  const list = store.podList((key) => ({ phase: "Pending", message: `new ${key}` }));
  assert.deepEqual(list.items.map((p) => p.status?.message), ["new a_default", "new b_default"]);
  assert.equal(list.kind, "PodList");
});

test("splitFullName splits at the first underscore (names and namespaces hold none)", () => {
  assert.deepEqual(splitFullName("web-n_kube-system"), { name: "web-n", namespace: "kube-system" });
});
