/**
 * The manifests `bench_decode.ts` measures: the worst inputs up to the size
 * cap (the largest that are refused, and the largest that the token bound
 * still lets through), and a corpus of bad manifests, each with how its
 * error must name what is wrong.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { stringify } from "yaml";
import { Pod as SchemaPod } from "kubernetes-models/v1";
import { decodeManifest } from "../src/manifest/decode.ts";
import { MAX_MANIFEST_BYTES, MAX_QUOTED_STRING } from "../src/manifest/limits.ts";
import {
  aliasBomb,
  deepBlock,
  deepFlow,
  deepJson,
  manyAnnotations,
  mergeBomb,
} from "../tests/manifest/_hostile.ts";

const CAP = MAX_MANIFEST_BYTES;
const KUBEADM = new URL("../tests/testdata/kubeadm/", import.meta.url);
const kubeadm = (name: string) => readFileSync(new URL(name, KUBEADM), "utf8");

/** `unit` repeated to fill the cap between `prefix` and `suffix`. */
const fill = (unit: string, prefix = "", suffix = "") =>
  prefix + unit.repeat(Math.floor((CAP - prefix.length - suffix.length) / unit.length)) + suffix;

const POD = (i: number) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, image: busybox}]}\n`;
const HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
const CONTAINER = "spec:\n  containers:\n  - name: c\n    image: busybox\n";
const lines = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join("");

/** The largest `n` (and its text) whose `make(n)` the size cap and the decoding bounds still let through. */
function underTheBounds(make: (n: number) => string): { n: number; text: string } {
  const fits = (n: number) => {
    const text = make(n);
    return text.length <= CAP &&
      decodeManifest(text).every((doc) => !/^invalid (YAML|JSON)/.test(doc.error ?? ""));
  };
  let lo = 1, hi = 2;
  while (fits(hi)) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return { n: lo, text: make(lo) };
}

/** The largest accepted input of a kind: `name` with `#` replaced by its count. */
function largest(name: string, make: (n: number) => string): [string, string] {
  const { n, text } = underTheBounds(make);
  return [name.replace("#", n.toLocaleString("en-US")), text];
}

/** A merge key of a map of `n` entries, used `uses` times. */
function mergeUses(n: number, uses: number): string {
  let text = `base: &b {${lines(n, (i) => `k${i}: ${i}, `).slice(0, -2)}}\n`;
  for (let i = 0; i < uses; i++) text += `m${i}:\n  <<: *b\n  own: ${i}\n`;
  return text;
}

/**
 * The worst inputs up to the cap, by name: what 1 MiB of each shape of text
 * gives (most are refused by a bound), then the largest of each shape that
 * the bounds let through, which go on to validation and static pods.
 */
export function worstInputs(): [string, string][] {
  const refused: [string, string][] = [
    ["kubeadm kube-apiserver.yaml", kubeadm("kube-apiserver.yaml")],
    ["annotations, 1 MiB of small entries", manyAnnotations(CAP - 100)],
    ["flow list of 1 MiB of 1-char items", fill("1,", "a: [", "1]\n")],
    ["block list of 1 MiB of items", fill("- 1\n", "a:\n")],
    ["one 1 MiB block string", fill("x", `${HEAD}  annotations:\n    a: |\n      `, "\n")],
    ["one 256 KiB double-quoted string", `a: "${"x".repeat(MAX_QUOTED_STRING - 2)}"\n`],
    ["1 MiB of document markers", fill("---\n")],
    ["1 MiB of small pods", fill(`---\n${POD(0)}`)],
    ["1 MiB of comments", fill("# comment\n")],
    ["merge-key bomb (24 levels)", mergeBomb(24)],
    ["alias bomb (billion laughs)", aliasBomb()],
    ["deep flow lists, 1 MiB", deepFlow(CAP / 2 - 4)],
    ["deep block maps, 1,400 levels", deepBlock(1_400)],
    ["deep JSON, 1 MiB", deepJson(Math.floor(CAP / 6) - 1)],
    ["JSON, 1 MiB of annotations", jsonPod({ annotations: numbered(45_000, "k", "v") })],
    ["JSON, 1 MiB list of numbers", fill("1,", '{"a": [', "1]}")],
    // One long value where validation or the warnings look at each character.
    [
      "JSON, an unknown field with a 1 MiB name",
      fill("x", '{"apiVersion": "v1", "kind": "Pod", "spec": {"', '": 1}}'),
    ],
    ["an image name of 1 MiB", fill("a/", `${HEAD}spec:\n  containers:\n  - name: c\n    image: `, "b\n")],
    [
      "a memory limit of 1 MiB of digits and a letter",
      fill("1", `${HEAD}${CONTAINER}    resources: {limits: {memory: `, "x}}\n"),
    ],
    [
      "a host alias of 1 MiB",
      fill("a.", `${HEAD}${CONTAINER}  hostAliases: [{ip: 10.0.0.1, hostnames: [`, "a]}]\n"),
    ],
    ["a label value of 1 MiB", fill("x", `${HEAD}  labels:\n    a: `, `\n${CONTAINER}`)],
  ];
  const accepted: [string, string][] = [
    largest("# small pods, one a document", (n) => lines(n, (i) => `---\n${POD(i)}`)),
    largest(
      "a List of # pods",
      (n) => `apiVersion: v1\nkind: List\nitems:\n${lines(n, (i) => `- ${jsonPod({}, i)}\n`)}`,
    ),
    largest("# empty documents", (n) => "---\n".repeat(n)),
    largest("# documents that are not pods", (n) => "--- 1\n".repeat(n)),
    largest(
      "# annotations",
      (n) => `${HEAD}  annotations:\n${lines(n, (i) => `    k${i}: v${i}\n`)}${CONTAINER}`,
    ),
    largest(
      "# containers",
      (n) => `${HEAD}spec:\n  containers:\n${lines(n, (i) => `  - {name: c${i}, image: busybox}\n`)}`,
    ),
    largest(
      "# env variables",
      (n) => `${HEAD}${CONTAINER}    env:\n${lines(n, (i) => `    - {name: E${i}, value: v}\n`)}`,
    ),
    largest(
      "# host ports",
      (n) =>
        `${HEAD}${CONTAINER}    ports:\n${
          lines(n, (i) => `    - {containerPort: ${1 + i % 65535}, hostPort: ${1 + i % 65535}}\n`)
        }`,
    ),
    largest(
      "# volumes and mounts",
      (n) =>
        `${HEAD}${CONTAINER}    volumeMounts:\n${
          lines(n, (i) => `    - {name: v${i}, mountPath: /m${i}}\n`)
        }` +
        `  volumes:\n${lines(n, (i) => `  - {name: v${i}, emptyDir: {}}\n`)}`,
    ),
    largest(
      "# args in a flow list",
      (n) => `${HEAD}${CONTAINER}    args: [${lines(n, (i) => `a${i}, `)}z]\n`,
    ),
    largest("# unknown fields of spec", (n) => `${HEAD}${CONTAINER}${lines(n, (i) => `  x${i}: v\n`)}`),
    largest(
      "# containers with a misspelled field",
      (n) => `${HEAD}spec:\n  containers:\n${lines(n, (i) => `  - {name: c${i}, imge: busybox}\n`)}`,
    ),
    largest("# merge keys of a 100-entry map", (n) => mergeUses(100, n)),
    largest("JSON, # annotations", (n) => jsonPod({ annotations: numbered(n, "k", "v") })),
    largest("JSON, a List of # pods", (n) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: Array.from({ length: n }, (_, i) => JSON.parse(jsonPod({}, i))),
      })),
  ];
  for (const [name, text] of [...refused, ...accepted]) {
    if (new TextEncoder().encode(text).length > CAP) throw new Error(`${name} is over the cap`);
  }
  return [...refused, ...accepted];
}

function numbered(n: number, key: string, value: string): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${key}${i}`, `${value}${i}`]));
}

/** A small pod as JSON, with `metadata` fields added. */
function jsonPod(metadata: Record<string, unknown>, i = 0): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `p${i}`, ...metadata },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  });
}

/** A bad manifest: its file name, its text, and what the error about it must say. */
export interface BadInput {
  name: string;
  text: string;
  /**
   * Matches the message of a problem (or note) of the file: the bound, or the
   * field, it breaks. Map entries may be named `labels[key]` or `labels.key`.
   */
  expect: RegExp;
}

/** A small pod whose container gets `container` lines and whose spec gets `spec` lines. */
const podWith = (name: string, container = "", spec = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n${container}${spec}`;

/**
 * Bad manifests: hostile texts (each bound), broken syntax, wrong kinds,
 * out-of-range and wrong-typed fields, and every wrong-typed scalar of the
 * kubeadm manifests that the core/v1 schema (kubernetes-models) refuses.
 */
export function badInputs(): BadInput[] {
  const bad: BadInput[] = [
    { name: "merge-bomb.yaml", text: mergeBomb(24), expect: /aliases copy more than 10000 nodes/ },
    { name: "alias-bomb.yaml", text: aliasBomb(), expect: /aliases copy more than 10000 nodes/ },
    { name: "deep-flow.yaml", text: deepFlow(20_000), expect: /nested more than 100 levels deep/ },
    { name: "deep-block.yaml", text: deepBlock(1_000), expect: /nested more than 100 levels deep/ },
    { name: "deep.json", text: deepJson(20_000), expect: /nested more than 100 levels deep/ },
    {
      name: "huge.yaml",
      text: podWith("huge") + `# ${"x".repeat(3 * CAP)}\n`,
      expect: /larger than 1048576 bytes/,
    },
    { name: "many-nodes.yaml", text: manyAnnotations(CAP - 100), expect: /more than 20000 tokens/ },
    { name: "many-values.json", text: fill("1,", '{"a": [', "1]}"), expect: /more than 20000 tokens/ },
    {
      name: "quoted.yaml",
      text: `a: "${"x".repeat(MAX_QUOTED_STRING + 1)}"\n`,
      expect: /double-quoted string longer than 262144/,
    },
    {
      name: "dup-keys.json",
      text: '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "name": "b"}, "spec": {}}',
      expect: /duplicate key "name"/,
    },
    {
      name: "dup-keys.yaml",
      text: podWith("dup") + "  restartPolicy: Never\n  restartPolicy: Always\n",
      expect: /duplicate key "restartPolicy"/,
    },
    { name: "syntax.yaml", text: "kind: [\n", expect: /invalid YAML/ },
    { name: "syntax.json", text: '{"kind": "Pod",}', expect: /invalid JSON/ },
    {
      name: "deployment.yaml",
      text: "apiVersion: apps/v1\nkind: Deployment\n",
      expect: /kind: expected Pod, got Deployment/,
    },
    { name: "v2.yaml", text: podWith("v2").replace("v1", "v2"), expect: /apiVersion: expected v1, got v2/ },
    {
      name: "list.yaml",
      text: "apiVersion: v1\nkind: List\nitems: [1]\n",
      expect: /items\[0\]: expected a Pod object/,
    },
    { name: "scalar.yaml", text: "just a string\n", expect: /expected a Pod object, got just a string/ },
    { name: "empty.yaml", text: "\n", expect: /file is empty/ },
    { name: "comments.yaml", text: "# a pod will go here\n", expect: /holds no document/ },
    { name: "forged\nE1130 00:00:00.000000 line.yaml", text: "kind: [", expect: /invalid YAML/ },
    {
      name: "probe-timeout.yaml",
      text: podWith("t", "    livenessProbe: {exec: {command: [true]}, timeoutSeconds: 10000000000000}\n"),
      expect: /livenessProbe\.timeoutSeconds: Invalid value: 10000000000000/,
    },
    {
      name: "probe-period.yaml",
      text: podWith("t", '    readinessProbe: {exec: {command: ["true"]}, periodSeconds: -5}\n'),
      expect: /readinessProbe\.periodSeconds: Invalid value: -5/,
    },
    {
      name: "grace.yaml",
      text: podWith("g", "", "  terminationGracePeriodSeconds: -1\n"),
      expect: /terminationGracePeriodSeconds: Invalid value: -1/,
    },
    {
      name: "port.yaml",
      text: podWith("p", "    ports: [{containerPort: 70000}]\n"),
      expect: /containerPort: Invalid value: 70000/,
    },
    {
      name: "memory.yaml",
      text: podWith("m", '    resources: {limits: {memory: "1e400"}}\n'),
      expect: /limits\[memory\]: Invalid value: "1e400"/,
    },
    {
      name: "read-only-string.yaml",
      text: podWith(
        "r",
        '    volumeMounts: [{name: v, mountPath: /v, readOnly: "true"}]\n',
        "  volumes: [{name: v, emptyDir: {}}]\n",
      ),
      expect: /readOnly: Invalid value: "true": must be a boolean/,
    },
    {
      name: "size-limit.yaml",
      text: podWith("s", "", "  volumes: [{name: v, emptyDir: {sizeLimit: big}}]\n"),
      expect: /sizeLimit: Invalid value: "big"/,
    },
    {
      name: "image.yaml",
      text: podWith("i").replace("image: busybox", "image: UPPER:case!!"),
      expect: /InvalidImageName/,
    },
    {
      name: "host-users.yaml",
      text: podWith("u", "", "  hostUsers: false\n"),
      expect: /spec\.hostUsers: Forbidden/,
    },
    {
      name: "sub-path-expr.yaml",
      text: podWith(
        "e",
        "    volumeMounts: [{name: v, mountPath: /v, subPathExpr: $(HOSTNAME)}]\n",
        "  volumes: [{name: v, emptyDir: {}}]\n",
      ),
      expect: /subPathExpr: Forbidden/,
    },
    {
      name: "no-containers.yaml",
      text: "apiVersion: v1\nkind: Pod\nmetadata: {name: n}\nspec: {}\n",
      expect: /spec\.containers: Required value/,
    },
    {
      name: "bad-name.yaml",
      text: podWith("Not_A_Name"),
      expect: /metadata\.name: Invalid value: "Not_A_Name"/,
    },
  ];
  return [...bad, ...wrongTypes()];
}

/** Every wrong-typed scalar of the kubeadm manifests that the core/v1 schema refuses, one a file. */
function wrongTypes(): BadInput[] {
  const found: BadInput[] = [];
  for (const file of readdirSync(KUBEADM).filter((n) => n.endsWith(".yaml")).sort()) {
    const pod = decodeManifest(kubeadm(file))[0].pod!;
    for (const [path, value] of scalars(pod)) {
      for (const wrong of otherTypes(value)) {
        const mutated = set(pod, path, wrong);
        if (schemaAccepts(mutated)) continue;
        const field = path.map((k) => typeof k === "number" ? `[${k}]` : `.${k}`).join("").slice(1);
        const holder = field.replace(/(\.[^.[]+|\[\d+\])$/, "");
        found.push({
          name: `${file.replace(".yaml", "")}-${found.length}.yaml`,
          text: stringify(mutated),
          // The field itself (or a field inside it, for a map or list), or the field that holds it.
          expect: new RegExp(`^(pod "[^"]*": )?(${escape(field)}${holder ? `|${escape(holder)}` : ""})[.[:]`),
        });
      }
    }
  }
  return found;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function scalars(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => scalars(item, [...path, i]));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => scalars(v, [...path, k]));
  }
  return value === null ? [] : [[path, value]];
}

function otherTypes(value: unknown): unknown[] {
  if (typeof value === "string") return [12, true, { a: 1 }];
  if (typeof value === "number") return [String(value), true, { a: 1 }];
  return [String(value), 1, { a: 1 }];
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
