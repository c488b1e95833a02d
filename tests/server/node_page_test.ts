import { test } from "node:test";
import assert from "node:assert/strict";
import type { PodList } from "../../src/api/types.ts";
import { renderNodePage } from "../../src/server/node_page.ts";

const NOW = new Date("2024-01-01T12:00:00Z");

const LIST: PodList = {
  apiVersion: "v1",
  kind: "PodList",
  metadata: {},
  items: [{
    metadata: { name: "web-n1", namespace: "default" },
    spec: { containers: [{ name: "app", image: "nginx" }, { name: "side", image: "busybox" }] },
    status: {
      phase: "Running",
      startTime: "2024-01-01T11:58:00Z",
      containerStatuses: [
        {
          name: "app",
          image: "nginx",
          imageID: "",
          ready: true,
          restartCount: 0,
          state: { running: {} },
          lastState: {},
        },
        {
          name: "side",
          image: "busybox",
          imageID: "",
          ready: false,
          restartCount: 2,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 20s <script>" } },
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: "2024-01-01T11:59:50Z" } },
        },
      ],
    },
  }],
};

test("node page shows each pod's status, readiness, restarts, age and last error", () => {
  const html = renderNodePage(LIST, "n1", NOW);
  assert.match(html, /<h1>Node n1<\/h1>/);
  assert.match(html, /class="phase bad">CrashLoopBackOff</);
  assert.match(html, /class="ready">1\/2</);
  assert.match(html, /class="restarts">2 \(10s ago\)</);
  assert.match(html, /class="age">2m</);
  assert.match(html, /Last error:<\/strong> side: CrashLoopBackOff: back-off 20s &lt;script&gt;/);
});

test("node page links each container's log, and the previous log where there is one", () => {
  const html = renderNodePage(LIST, "n1", NOW);
  assert.match(html, /href="\/containerLogs\/default\/web-n1\/app\?tailLines=500"/);
  assert.match(html, /href="\/containerLogs\/default\/web-n1\/side\?previous=true"/);
  assert.doesNotMatch(html, /app\?previous=true/);
});

test("node page is self-contained and refreshes itself", () => {
  const html = renderNodePage(LIST, "n1", NOW);
  assert.doesNotMatch(html, /<(link|img|iframe)\b|src=|@import|url\(/i, "no external assets");
  assert.match(html, /setInterval\(/);
  assert.match(html, /id="pods"/);
});

test("node page says so when there are no pods", () => {
  const html = renderNodePage({ ...LIST, items: [] }, "n1", NOW);
  assert.match(html, /No pods\./);
  assert.match(html, /0 pods, 0 running/);
});
