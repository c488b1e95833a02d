import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod, PodSpec } from "../../src/api/types.ts";
import { hostNetworkHostsFile, managedHostsFile, podHostnameAndDomain } from "../../src/runtime/etc_hosts.ts";

const pod = (spec: Partial<PodSpec> = {}, name = "web-node1"): Pod => ({
  metadata: { name, namespace: "prod", uid: "u" },
  spec: { containers: [], ...spec },
});

const LOCAL =
  "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
  "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";

test("managedHostsFile names the pod's IP after the pod, as the kubelet writes it", () => {
  assert.equal(managedHostsFile(pod(), ["172.17.0.4"], "cluster.local"), `${LOCAL}172.17.0.4\tweb-node1\n`);
});

test("managedHostsFile uses hostname and the subdomain's FQDN, and adds host aliases one line per IP", () => {
  const p = pod({
    hostname: "db-0",
    subdomain: "db",
    hostAliases: [{ ip: "127.0.0.1", hostnames: ["foo.local", "bar.local"] }, {
      ip: "10.1.2.3",
      hostnames: ["baz"],
    }],
  });
  assert.equal(
    managedHostsFile(p, ["172.17.0.4"], "cluster.local"),
    `${LOCAL}172.17.0.4\tdb-0.db.prod.svc.cluster.local\tdb-0\n` +
      "\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tbaz\n",
  );
});

test("hostNetworkHostsFile is the host's file under its own header, then the aliases", () => {
  const p = pod({ hostNetwork: true, hostAliases: [{ ip: "127.0.0.1", hostnames: ["etcd.local"] }] });
  assert.equal(
    hostNetworkHostsFile(p, "127.0.0.1 localhost\n"),
    "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n127.0.0.1\tetcd.local\n",
  );
});

test("podHostnameAndDomain cuts a long pod name to a DNS label without a trailing dash", () => {
  const name = `${"a".repeat(62)}-bcd`;
  assert.deepEqual(podHostnameAndDomain(pod({}, name), "cluster.local"), {
    hostname: "a".repeat(62),
    domain: undefined,
  });
});
