import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, PodSpec } from "../../src/api/types.ts";
import { formatResolvConf, parseResolvConf, podDnsConfig } from "../../src/runtime/resolv_conf.ts";

const pod = (spec: Partial<PodSpec>): Pod => ({ metadata: { name: "p" }, spec: { containers: [], ...spec } });
const HOST = parseResolvConf(
  "# generated\nnameserver 127.0.0.53\nnameserver 127.0.0.54 # second\nsearch old.example\nsearch corp.example. lab.example .\noptions edns0 ndots:2\n",
);

test("parseResolvConf reads nameservers, the last search line without trailing dots, and options", () => {
  assert.deepEqual(HOST, {
    nameservers: ["127.0.0.53", "127.0.0.54"],
    searches: ["corp.example", "lab.example"],
    options: ["edns0", "ndots:2"],
  });
});

for (const policy of [undefined, "Default", "ClusterFirst", "ClusterFirstWithHostNet"]) {
  test(`podDnsConfig gives a ${policy ?? "defaulted"} pod the host's resolver (no cluster DNS to use)`, () => {
    assert.deepEqual(podDnsConfig(pod({ dnsPolicy: policy }), HOST), HOST);
  });
}

test("podDnsConfig appends the pod's dnsConfig without duplicates and merges options by name", () => {
  const p = pod({
    dnsConfig: {
      nameservers: ["127.0.0.53", "127.0.0.1"],
      searches: ["lab.example", "pod.example"],
      options: [{ name: "ndots", value: "5" }, { name: "rotate" }],
    },
  });
  assert.deepEqual(podDnsConfig(p, HOST), {
    nameservers: ["127.0.0.53", "127.0.0.54", "127.0.0.1"],
    searches: ["corp.example", "lab.example", "pod.example"],
    options: ["edns0", "ndots:5", "rotate"],
  });
});

test("podDnsConfig uses only the pod's dnsConfig under dnsPolicy None", () => {
  const p = pod({ dnsPolicy: "None", dnsConfig: { nameservers: ["127.0.0.1"], searches: ["x.example"] } });
  assert.deepEqual(podDnsConfig(p, HOST), {
    nameservers: ["127.0.0.1"],
    searches: ["x.example"],
    options: [],
  });
});

test("podDnsConfig keeps at most three nameservers, as the resolver uses no more", () => {
  const p = pod({ dnsConfig: { nameservers: ["127.0.0.1", "127.0.0.2"] } });
  assert.deepEqual(podDnsConfig(p, HOST).nameservers, ["127.0.0.53", "127.0.0.54", "127.0.0.1"]);
});

test("formatResolvConf writes search, nameserver and options lines, and nothing for an empty config", () => {
  assert.equal(
    formatResolvConf(HOST),
    "search corp.example lab.example\nnameserver 127.0.0.53\nnameserver 127.0.0.54\noptions edns0 ndots:2\n",
  );
  assert.equal(formatResolvConf({ nameservers: [], searches: [], options: [] }), "");
});
