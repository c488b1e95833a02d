/**
 * The node page served at `/`: one self-contained HTML document (no external
 * assets) listing each pod with its status, containers, readiness, restarts,
 * age and last error, and a link to each container's log. It refreshes
 * itself every few seconds.
 *
 * @module
 */
import type { ContainerStatus, Pod, PodList } from "../api/types.ts";
import { humanDuration, lastError, podRow } from "./pod_row.ts";

/** How often the page reloads its content (ms). */
export const REFRESH_MS = 5_000;

/** Content-Security-Policy of the page: nothing may load from anywhere else. */
export const NODE_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function stateText(c: ContainerStatus): string {
  if (c.state.running) return "Running";
  if (c.state.waiting) return c.state.waiting.reason ?? "Waiting";
  if (c.state.terminated) {
    return `${c.state.terminated.reason ?? "Terminated"} (exit ${c.state.terminated.exitCode})`;
  }
  return "Unknown";
}

function logLink(pod: Pod, name: string, previous = false): string {
  const path = [pod.metadata.namespace, pod.metadata.name, name].map((s) => encodeURIComponent(s ?? "")).join(
    "/",
  );
  const query = previous ? "?previous=true" : "?tailLines=500";
  return `<a class="log" href="/containerLogs/${path}${query}">${previous ? "previous log" : "log"}</a>`;
}

function statusClass(status: string): string {
  if (status === "Running" || status === "Completed" || status === "Succeeded") return "ok";
  if (
    status === "Pending" || status === "ContainerCreating" ||
    status.startsWith("Init:") && /\d\/\d/.test(status)
  ) {
    return "wait";
  }
  return "bad";
}

function podSection(pod: Pod, now: Date): string {
  const row = podRow(pod, now);
  const error = lastError(pod);
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const specs = [
    ...(pod.spec.initContainers ?? []).map((c) => ({ c, init: true })),
    ...pod.spec.containers.map((c) => ({ c, init: false })),
  ];
  const containers = specs.map(({ c, init }) => {
    const s = byName.get(c.name);
    const state = s ? stateText(s) : "Waiting";
    const links = [logLink(pod, c.name), s?.lastState?.terminated ? logLink(pod, c.name, true) : ""].filter(
      Boolean,
    );
    return `<tr><td>${escape(c.name)}${init ? ' <span class="tag">init</span>' : ""}</td><td>${
      escape(c.image)
    }</td>` +
      `<td class="${statusClass(state.split(" ")[0])}">${escape(state)}</td><td>${
        s?.ready ? "yes" : "no"
      }</td>` +
      `<td>${s?.restartCount ?? 0}</td><td>${links.join(" · ")}</td></tr>`;
  }).join("");
  return `<section class="pod" data-pod="${escape(row.namespace)}/${escape(row.name)}">
<h2><span class="name">${escape(row.name)}</span> <span class="ns">${escape(row.namespace)}</span></h2>
<dl>
<div><dt>Status</dt><dd class="phase ${statusClass(row.status)}">${escape(row.status)}</dd></div>
<div><dt>Ready</dt><dd class="ready">${escape(row.ready)}</dd></div>
<div><dt>Restarts</dt><dd class="restarts">${escape(row.restarts)}</dd></div>
<div><dt>Age</dt><dd class="age">${escape(row.age)}</dd></div>
<div><dt>IP</dt><dd>${escape(row.ip)}</dd></div>
</dl>
${error ? `<p class="error"><strong>Last error:</strong> ${escape(error)}</p>` : ""}
<table><thead><tr><th>Container</th><th>Image</th><th>State</th><th>Ready</th><th>Restarts</th><th>Logs</th></tr></thead>
<tbody>${containers}</tbody></table>
</section>`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2430}
header{background:#1d2430;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}header span{opacity:.75}
main{padding:16px 20px;display:grid;gap:14px}
.pod{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:12px 16px}
.pod h2{font-size:16px;margin:0 0 8px}.ns{font-weight:normal;color:#667;font-size:13px}
dl{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0 0 8px}dl div{display:flex;gap:6px}dt{color:#667}dd{margin:0;font-weight:600}
.ok{color:#17803d}.wait{color:#a66300}.bad{color:#c0262d}
.error{background:#fdecec;border-left:3px solid #c0262d;padding:6px 10px;margin:6px 0;word-break:break-word}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-top:1px solid #eceef2}
th{color:#667;font-weight:normal}.tag{font-size:11px;background:#e4e7ec;border-radius:3px;padding:0 4px}
.empty{color:#667}a{color:#2557b8}`;

const SCRIPT = `
setInterval(async () => {
  try {
    const res = await fetch(location.pathname, { cache: "no-store" });
    if (!res.ok) return;
    const next = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const id of ["pods", "summary"]) document.getElementById(id).replaceWith(next.getElementById(id));
  } catch { /* the kubelet is restarting; try again next time */ }
}, ${REFRESH_MS});`;

/** The page for `list` on node `nodeName`, as of `now`. */
export function renderNodePage(list: PodList, nodeName: string, now: Date): string {
  const pods = list.items;
  const running = pods.filter((p) => p.status?.phase === "Running").length;
  const body = pods.length
    ? pods.map((p) => podSection(p, now)).join("\n")
    : '<p class="empty">No pods. Put a Pod manifest in the manifest directory.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(nodeName)} · standalone kubelet</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Node ${
    escape(nodeName)
  }</h1><span id="summary">${pods.length} pods, ${running} running · updated ${
    escape(now.toISOString().replace(/\.\d+Z$/, "Z"))
  } · refreshes every ${humanDuration(REFRESH_MS)}</span></header>
<main id="pods">
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
