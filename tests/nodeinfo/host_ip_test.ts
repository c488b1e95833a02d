import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultRouteInterface, localAddresses, pickHostIP, readHostIP } from "../../src/nodeinfo/host_ip.ts";

// /proc/net/route of a host on 192.0.2.0/24 through eth0, with Docker's bridge. Destinations and
// masks are little-endian hex: 000200C0 is 192.0.2.0, 00FFFFFF is 255.255.255.0.
const ROUTES = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

const FIB_TRIE = `Main:
  +-- 0.0.0.0/0 3 0 4
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
     +-- 172.17.0.0/16 2 0 2
        +-- 172.17.0.0/31 1 0 0
           |-- 172.17.0.0
              /16 link UNICAST
           |-- 172.17.0.1
              /32 host LOCAL
        |-- 172.17.255.255
           /32 link BROADCAST
     +-- 192.0.2.0/24 2 0 2
        +-- 192.0.2.0/30 2 0 2
           |-- 192.0.2.0
              /24 link UNICAST
           |-- 192.0.2.2
              /32 host LOCAL
        |-- 192.0.2.255
           /32 link BROADCAST
Local:
  +-- 0.0.0.0/0 3 0 4
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 172.17.0.0/16 2 0 2
           |-- 172.17.0.1
              /32 host LOCAL
     +-- 192.0.2.0/24 2 0 2
           |-- 192.0.2.2
              /32 host LOCAL
`;

test("defaultRouteInterface finds the interface of the 0.0.0.0/0 route", () => {
  assert.equal(defaultRouteInterface(ROUTES), "eth0");
});

test("defaultRouteInterface is undefined without a default route", () => {
  const noDefault = ROUTES.split("\n").filter((l) => !l.startsWith("eth0\t00000000")).join("\n");
  assert.equal(defaultRouteInterface(noDefault), undefined);
});

test("localAddresses lists each local /32 address once, loopback left out", () => {
  assert.deepEqual(localAddresses(FIB_TRIE), ["172.17.0.1", "192.0.2.2"]);
});

test("pickHostIP picks the local address in a subnet of the default-route interface", () => {
  assert.equal(pickHostIP(ROUTES, FIB_TRIE), "192.0.2.2");
});

test("pickHostIP falls back to the first local address, then to 127.0.0.1", () => {
  assert.equal(pickHostIP("Iface\tDestination\n", FIB_TRIE), "172.17.0.1");
  assert.equal(pickHostIP("", ""), "127.0.0.1");
});

test("readHostIP reads /proc/net/route and /proc/net/fib_trie", async () => {
  const files: Record<string, string> = { "/proc/net/route": ROUTES, "/proc/net/fib_trie": FIB_TRIE };
  assert.equal(await readHostIP({ readTextFile: (path) => Promise.resolve(files[path]) }), "192.0.2.2");
});

test("readHostIP falls back to 127.0.0.1 when /proc/net cannot be read", async () => {
  const fs = { readTextFile: () => Promise.reject(new Error("ENOENT")) };
  assert.equal(await readHostIP(fs), "127.0.0.1");
});
