/**
 * The node page in a real browser: headless Chromium (Debian's `chromium`,
 * driven by playwright-core) opens `/` with the walkthrough's pod running,
 * sees it Running with 2/2 ready, follows a log link, and watches the page
 * refresh itself. The screenshot is kept in dist/e2e/node_page.png.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { chromium } from "playwright-core";
import { cleanup, e2eNode, e2ePort, getPod, ROOT, startKubelet, tempDir, waitFor } from "./_harness.ts";

const CHROMIUM = "/usr/bin/chromium";
// The machine reaches no outside network: nothing in the browser may try to.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

test("node page in Chromium shows the walkthrough pod Running with 2/2 ready, links its logs and refreshes", async () => {
  const node = e2eNode("page");
  const port = e2ePort(18352);
  const base = `http://127.0.0.1:${port}`;
  const dir = await tempDir(node);
  await cleanup(node);
  await mkdir(`${dir}/manifests`);
  await copyFile(`${ROOT}/examples/nginx.yaml`, `${dir}/manifests/nginx.yaml`);
  const kubelet = await startKubelet({ node, port, manifests: `${dir}/manifests`, rootDir: `${dir}/root` });
  // A fresh profile directory (--user-data-dir) for this run only.
  const profile = `${dir}/chromium-profile`;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 420 },
  });
  try {
    await waitFor("the pod ready", async () => {
      const statuses = (await getPod(port, `nginx-${node}`))?.status?.containerStatuses;
      return statuses?.length === 2 && statuses.every((c) => c.ready);
    }, { timeoutMs: 60_000 });
    const page = context.pages()[0] ?? await context.newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${base}/`, { timeout: 20_000 });

    const pod = page.locator(`section.pod[data-pod="default/nginx-${node}"]`);
    assert.equal(await pod.locator(".phase").textContent(), "Running");
    assert.equal(await pod.locator(".ready").textContent(), "2/2");
    assert.equal(await pod.locator(".restarts").textContent(), "0");
    assert.match(await page.locator("h1").textContent() ?? "", new RegExp(`Node ${node}`));
    assert.deepEqual(await pod.locator("tbody td:first-child").allTextContents(), ["nginx", "log-truncator"]);

    await mkdir(`${ROOT}/dist/e2e`, { recursive: true });
    const shot = `${ROOT}/dist/e2e/node_page.png`;
    await page.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
    assert.ok(png.length > 5_000, `${png.length} bytes`);

    // The page refreshes itself: the header's time moves on without a reload.
    const before = await page.locator("#summary").textContent();
    await page.waitForFunction((old) => document.getElementById("summary")?.textContent !== old, before, {
      timeout: 15_000,
    });

    // Each container links its log, served as text from the same server.
    const href = await pod.locator("a.log").first().getAttribute("href");
    assert.equal(href, `/containerLogs/default/nginx-${node}/nginx?tailLines=500`);
    const logPage = await context.newPage();
    const res = await logPage.goto(`${base}${href}`, { timeout: 10_000 });
    assert.equal(res?.status(), 200);
    assert.match(res?.headers()["content-type"] ?? "", /^text\/plain/);

    assert.ok(requested.length >= 2);
    assert.deepEqual(requested.filter((u) => !u.startsWith(base)), [], "no request leaves the kubelet");
  } finally {
    await context.close();
    await kubelet.stop("SIGKILL");
    await cleanup(node, dir);
    await rm(profile, { recursive: true, force: true });
  }
});
