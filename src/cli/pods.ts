/**
 * `kubelet pods`: the node's pods as `kubectl get pods` prints them (NAME,
 * READY, STATUS, RESTARTS, AGE; `-o wide` adds IP, NODE, NOMINATED NODE,
 * READINESS GATES; `--no-headers` drops the header), `-o name` (`pod/NAME`),
 * or the PodList as JSON or YAML that kubectl reads back the same; `-l`
 * filters by a label selector.
 *
 * @module
 */
import type { Pod } from "../api/types.ts";
import { podRow } from "../server/pod_row.ts";
import type { CliIo } from "./io.ts";
import { CliError, getPods } from "./server.ts";
import { toKubectlYaml } from "./kubectl_yaml.ts";
import { matchesSelector, parseSelector } from "./label_selector.ts";

export interface PodsOptions {
  server: string;
  /** `json`, `yaml`, `wide`, `name`, or undefined for the table. */
  output?: string;
  /** A label selector (`-l`): only pods whose labels match. */
  selector?: string;
  /** Leave out the table's header. */
  noHeaders?: boolean;
  /** Only pods of this namespace; all namespaces when undefined. */
  namespace?: string;
  now?: Date;
}

/**
 * Lays out rows as kubectl's tabwriter does (minimum width 10, padding 3);
 * the last column is not padded.
 */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(10, ...rows.map((r) => [...r[i]].length + 3)));
  return rows.map((r) => r.map((cell, i) => i === r.length - 1 ? cell : cell.padEnd(widths[i])).join(""))
    .join("\n") +
    "\n";
}

/** The table of `pods`; a NAMESPACE column first when they span more than one namespace. */
export function podTable(pods: Pod[], wide: boolean, now: Date, noHeaders = false): string {
  const spans = new Set(pods.map((p) => p.metadata.namespace)).size > 1;
  const header = [...(spans ? ["NAMESPACE"] : []), "NAME", "READY", "STATUS", "RESTARTS", "AGE"];
  if (wide) header.push("IP", "NODE", "NOMINATED NODE", "READINESS GATES");
  const rows = pods.map((p) => {
    const r = podRow(p, now);
    const row = [...(spans ? [r.namespace] : []), r.name, r.ready, r.status, r.restarts, r.age];
    if (wide) row.push(r.ip, r.node, "<none>", "<none>");
    return row;
  });
  // Widths count the header even when it is left out, as kubectl's printer does.
  const table = formatTable([header, ...rows]);
  return noHeaders ? table.slice(table.indexOf("\n") + 1) : table;
}

/** Prints the pods; resolves the exit code. @throws {CliError} */
export async function runPods(io: CliIo, options: PodsOptions): Promise<number> {
  const output = options.output;
  if (output !== undefined && !["json", "yaml", "wide", "name"].includes(output)) {
    throw new CliError(
      `unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml`,
    );
  }
  const selector = parseSelector(options.selector ?? "");
  const list = await getPods(io, options.server);
  const items = list.items
    .filter((p) => options.namespace === undefined || p.metadata.namespace === options.namespace)
    .filter((p) => matchesSelector(selector, p.metadata.labels))
    .sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1
    );
  const filtered = { ...list, items };
  if (output === "json") return await io.out(JSON.stringify(filtered, null, 4) + "\n"), 0;
  if (output === "yaml") return await io.out(toKubectlYaml(filtered)), 0;
  if (output === "name") return await io.out(items.map((p) => `pod/${p.metadata.name}\n`).join("")), 0;
  if (items.length === 0) {
    await io.err(
      options.namespace ? `No resources found in ${options.namespace} namespace.\n` : "No resources found\n",
    );
    return 0;
  }
  await io.out(podTable(items, output === "wide", options.now ?? new Date(), options.noHeaders));
  return 0;
}
