/**
 * Keeps `validatePod` at least as strict about types as the API server: every
 * scalar of real manifests (kubeadm's, the examples, the test fixtures) is
 * turned into values of other types, and each mutation that the core/v1
 * schema refuses (kubernetes-models' validation) must be refused by
 * `validatePod` too, as the sources run it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { Pod as SchemaPod } from "kubernetes-models/v1";
import type { Pod } from "../../src/api/types.ts";
import { decodeManifest } from "../../src/manifest/decode.ts";
import { applyDefaults } from "../../src/manifest/defaults.ts";
import { withoutUnknownFields } from "../../src/manifest/field_warnings.ts";
import { validatePod } from "../../src/manifest/validate.ts";
import { nginx } from "../testdata/walkthrough_pod.ts";
import { podWith } from "./_pods.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

function manifests(): [string, Pod][] {
  const found: [string, Pod][] = [["walkthrough fixture", nginx()]];
  for (const dir of ["tests/testdata/kubeadm", "examples"]) {
    for (const name of readdirSync(ROOT + dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      for (const doc of decodeManifest(readFileSync(`${ROOT}${dir}/${name}`, "utf8"))) {
        if (doc.pod) found.push([`${dir}/${name}`, doc.pod]);
      }
    }
  }
  // A fixture with the fields the files above lack: probes, hooks, security, DNS, env sources.
  found.push([
    "field fixture",
    podWith({
      hostNetwork: false,
      priority: 10,
      dnsConfig: { nameservers: ["10.0.0.1"], options: [{ name: "ndots", value: "2" }] },
      securityContext: { runAsUser: 1000, fsGroup: 2000, supplementalGroups: [3], runAsNonRoot: true },
      volumes: [{ name: "v", emptyDir: { sizeLimit: "1Gi" } }, {
        name: "h",
        hostPath: { path: "/tmp", type: "" },
      }],
      hostAliases: [{ ip: "10.0.0.2", hostnames: ["a"] }],
      activeDeadlineSeconds: 100,
    }, {
      ports: [{ name: "http", containerPort: 80, hostPort: 8080, protocol: "TCP", hostIP: "127.0.0.1" }],
      stdin: true,
      tty: false,
      env: [{ name: "A", value: "b" }, {
        name: "N",
        valueFrom: { fieldRef: { fieldPath: "metadata.name" } },
      }],
      resources: { limits: { memory: "64Mi", cpu: "500m" }, requests: { cpu: "100m" } },
      volumeMounts: [{ name: "v", mountPath: "/v", readOnly: true, subPath: "x" }],
      livenessProbe: {
        httpGet: { path: "/", port: 80, httpHeaders: [{ name: "X", value: "y" }] },
        periodSeconds: 5,
      },
      readinessProbe: { tcpSocket: { port: "http" }, timeoutSeconds: 2 },
      startupProbe: { exec: { command: ["true"] }, failureThreshold: 30 },
      lifecycle: { preStop: { sleep: { seconds: 1 } }, postStart: { exec: { command: ["true"] } } },
      securityContext: {
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
    }),
  ]);
  return found;
}

/** Every scalar of `value`, as a path of keys and indexes, with the scalar. */
function scalars(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => scalars(item, [...path, i]));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => scalars(v, [...path, k]));
  }
  return value === null ? [] : [[path, value]];
}

/** Values of other types than `value`'s. */
function wrongTypes(value: unknown): unknown[] {
  const common = [{ a: 1 }, [value]];
  if (typeof value === "string") return [12, true, ...common];
  if (typeof value === "number") return [String(value), true, 1.5, ...common];
  return [String(value), 1, ...common];
}

function set(pod: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(pod) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
  return copy;
}

function schemaAccepts(pod: unknown): boolean {
  try {
    new SchemaPod(pod as ConstructorParameters<typeof SchemaPod>[0]).validate();
    return true;
  } catch {
    return false;
  }
}

/** As the sources run it: unknown fields dropped, defaults applied, validated. */
const ourErrors = (pod: unknown) => validatePod(applyDefaults(withoutUnknownFields(pod as Pod)));

for (const [name, pod] of manifests()) {
  test(`validatePod refuses every wrong-typed scalar of ${name} that the core/v1 schema refuses`, () => {
    assert.ok(schemaAccepts(pod), `${name} is valid for the schema`);
    assert.deepEqual(ourErrors(pod), [], `${name} is valid for validatePod`);
    let tried = 0, refusedBySchema = 0;
    const loosened: string[] = [];
    for (const [path, value] of scalars(pod)) {
      if (path[0] === "status") continue;
      for (const wrong of wrongTypes(value)) {
        const mutated = set(pod, path, wrong);
        tried++;
        if (schemaAccepts(mutated)) continue;
        refusedBySchema++;
        if (ourErrors(mutated).length === 0) loosened.push(`${path.join(".")} = ${JSON.stringify(wrong)}`);
      }
    }
    assert.deepEqual(loosened, [], "mutations the schema refuses but validatePod accepts");
    // Nearly every mutation to another type is one the schema refuses: the comparison means something.
    assert.ok(
      refusedBySchema >= tried * 0.8,
      `${refusedBySchema} of ${tried} mutations refused by the schema`,
    );
  });
}
