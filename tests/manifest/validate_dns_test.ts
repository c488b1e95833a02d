import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePod } from "../../src/manifest/validate.ts";
import { podWith } from "./_pods.ts";

const cases: [string, Parameters<typeof podWith>[0], string[]][] = [
  ["accepts hostname, subdomain, hostAliases and a dnsConfig", {
    hostname: "etcd-0",
    subdomain: "etcd",
    hostAliases: [{ ip: "127.0.0.1", hostnames: ["foo.local", "bar"] }, { ip: "::1", hostnames: ["six"] }],
    dnsPolicy: "None",
    dnsConfig: {
      nameservers: ["127.0.0.53", "::1"],
      searches: ["example.com."],
      options: [{ name: "ndots", value: "2" }, { name: "edns0" }],
    },
  }, []],
  ["rejects a hostname or subdomain that is not a DNS label", { hostname: "Etcd_0", subdomain: "a.b" }, [
    `spec.hostname: Invalid value: "Etcd_0": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
    `spec.subdomain: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
  ]],
  ["rejects a host alias whose IP is not an IP", {
    hostAliases: [{ ip: "10.0.0.256", hostnames: ["x"] }, { ip: "fe80::1::2" }],
  }, [
    'spec.hostAliases[0].ip: Invalid value: "10.0.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'spec.hostAliases[1].ip: Invalid value: "fe80::1::2": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]],
  ["requires a dnsConfig for dnsPolicy None", { dnsPolicy: "None" }, [
    "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
  ]],
  ["requires a nameserver for dnsPolicy None", { dnsPolicy: "None", dnsConfig: { searches: ["a"] } }, [
    "spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None",
  ]],
  ["rejects more than three nameservers and an option without a name", {
    dnsConfig: {
      nameservers: ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"],
      options: [{ value: "1" }],
    },
  }, [
    'spec.dnsConfig.nameservers: Invalid value: ["127.0.0.1","127.0.0.2","127.0.0.3","127.0.0.4"]: must not have more than 3 nameservers',
    "spec.dnsConfig.options[0]: Required value: must not be empty",
  ]],
];

for (const [name, spec, errors] of cases) {
  test(`validatePod ${name}`, () => {
    assert.deepEqual(validatePod(podWith(spec)), errors);
  });
}

test("validatePod calls a host alias a subdomain exactly when each of its dot-separated parts is an RFC 1123 label", () => {
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const names = [
    "a",
    "a.b",
    "a-b.c-d",
    "a--b",
    "1.2.3",
    "a.",
    ".a",
    "a..b",
    "-a",
    "a-",
    "a.-b",
    "a-.b",
    "A",
    "a_b",
  ];
  names.push("é", "a b", "a.b.", `${"a.".repeat(200)}a`, `${"a-".repeat(200)}`);
  for (const name of names) {
    const errors = validatePod(podWith({ hostAliases: [{ ip: "10.0.0.1", hostnames: [name] }] }));
    const refused = errors.some((e) => e.includes("a lowercase RFC 1123 subdomain"));
    assert.equal(refused, !name.split(".").every((part) => label.test(part)), name);
  }
});
