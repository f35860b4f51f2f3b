/**
 * The web client's weight and speed: initial JavaScript for the owner's first page (gzipped), the
 * host and brand chunks beside it, and the time from navigation to the feed's first posts in
 * Chromium against a local daphne with demo data (median of 10 loads, cold and warm interleaved).
 *
 *     make web && node bench/web_client.mjs [--loads 10] [--user owner001] [--trace /tmp/feed-trace.json] [--dist other/dist]
 *
 * The server is frontend/e2e/server.sh (its own SQLite database seeded with seed_demo, DEBUG off,
 * WhiteNoise) on a free port, stopped at the end. Goals: at most 200 kB, under 1 s.
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg, cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const { chromium } = await import(path.join(root, "frontend", "node_modules", "playwright-core", "index.mjs"));

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const LOADS = Number(args.loads ?? 10);
// Another build to measure (e.g. an older commit's, built elsewhere): the server serves it too.
const dist = path.resolve(args.dist ?? path.join(root, "frontend", "dist"));
const USER = args.user ?? "owner001";
const PASSWORD = "oushang-demo-2026";

// ---------------------------------------------------------------- sizes from the Vite manifest

const manifestPath = path.join(dist, ".vite", "manifest.json");
if (!existsSync(manifestPath)) {
  console.error("frontend/dist is missing: run `make web` first");
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, "utf-8"));
const gz = (file) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const raw = (file) => readFileSync(path.join(dist, file)).length;

/** The entry's file and everything it imports statically (what the browser must load before it runs). */
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) staticClosure(dep, seen);
  return seen;
}

function chunkOf(source) {
  const key = Object.keys(manifest).find((k) => manifest[k].src === source || k === source);
  if (!key) throw new Error(`no chunk for ${source}`);
  return key;
}

const entry = staticClosure(chunkOf("index.html"));
const jsFiles = [...entry].map((k) => manifest[k].file).filter((f) => f.endsWith(".js"));
const cssFiles = [...new Set([...entry].flatMap((k) => manifest[k].css ?? []))];
const initialJs = jsFiles.reduce((sum, f) => sum + gz(f), 0);
const initialJsRaw = jsFiles.reduce((sum, f) => sum + raw(f), 0);
const initialCss = cssFiles.reduce((sum, f) => sum + gz(f), 0);

/** A lazy area: its own chunk plus what it imports that the first page does not already load. */
function areaSize(source) {
  const key = chunkOf(source);
  const own = [...staticClosure(key)].filter((k) => !entry.has(k)).map((k) => manifest[k].file).filter((f) => f.endsWith(".js"));
  return { files: own.length, gzip: own.reduce((sum, f) => sum + gz(f), 0) };
}
const host = areaSize("src/host/HostArea.tsx");
const brand = areaSize("src/brand/BrandArea.tsx");
const hostSeparate = !entry.has(chunkOf("src/host/HostArea.tsx"));
const brandSeparate = !entry.has(chunkOf("src/brand/BrandArea.tsx"));
const echartsInitial = jsFiles.some((f) => readFileSync(path.join(dist, f), "utf-8").includes("echarts"));

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log("initial load of the owner's first page (the feed), from frontend/dist:");
console.log(`  JavaScript   ${jsFiles.length} files  ${kB(initialJsRaw)} raw  ${kB(initialJs)} gzipped   (goal <= 200 kB gzipped)`);
console.log(`  CSS          ${cssFiles.length} file   ${kB(initialCss)} gzipped`);
console.log(`  host area    own chunks ${host.files}, ${kB(host.gzip)} gzipped, loaded on /app/host/ only: ${hostSeparate}`);
console.log(`  brand area   own chunks ${brand.files}, ${kB(brand.gzip)} gzipped, loaded on /app/brand/ only: ${brandSeparate}`);
console.log(`  ECharts kept out of the first page: ${!echartsInitial}`);

// ---------------------------------------------------------------- the feed in Chromium

const port = execFileSync("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
  .toString()
  .trim();
const base = `http://127.0.0.1:${port}`;
const state = `/tmp/community-bench-web-${process.pid}`;
const server = spawn("bash", [path.join(root, "frontend", "e2e", "server.sh")], {
  env: { ...process.env, E2E_PORT: port, E2E_STATE_DIR: state, WEB_CLIENT_DIST: dist },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const stopServer = () => {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stopServer);
process.on("SIGINT", () => process.exit(130));

const started = Date.now();
for (;;) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    // not up yet
  }
  if (Date.now() - started > 900_000) throw new Error("the server did not start in 15 minutes");
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
console.log(`server: daphne on ${base} with demo data (${((Date.now() - started) / 1000).toFixed(0)} s to seed and start)`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/**
 * Runs in the page before its own scripts: notes when the first post enters the DOM and the start of
 * the next frame (the one that paints it), in the page's own clock. Playwright's waitForSelector
 * polls from outside and on a loaded machine adds its own delay, so both are printed.
 */
const FIRST_POST_PROBE = `new MutationObserver(function (_, observer) {
  if (!document.querySelector('[data-testid="post"]')) return;
  observer.disconnect();
  window.__firstPostInDom = performance.now();
  requestAnimationFrame(function () { window.__firstPostFrame = performance.now(); });
}).observe(document, { childList: true, subtree: true });`;

async function signedInContext() {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const response = await context.request.post("/graphql/", {
    data: { query: `mutation { login(input: {username: "${USER}", password: "${PASSWORD}"}) { errors { message } } }` },
  });
  const body = await response.json();
  if (body.data.login.errors.length) throw new Error(JSON.stringify(body.data.login.errors));
  await context.addInitScript(FIRST_POST_PROBE);
  return context;
}

/**
 * One load of the feed: milliseconds from navigation start to the first post on screen, the JS bytes
 * transferred, and where the time went (the page's own resource timings, and Chromium's main-thread
 * metrics over CDP): when the HTML had arrived (responseEnd), when the last script had, which GraphQL
 * requests left before the first post, and the longest chain of requests in series before it (a
 * request counts as after another when that one had finished before it started: HTML, then scripts,
 * then a lazy chunk or a query...). With `trace`, a Chromium trace of the load is written there.
 */
async function loadFeed(context, trace = null) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  let jsBytes = 0;
  const graphql = [];
  const cspViolations = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on("request", (request) => {
    if (request.url().includes("/graphql/") && request.method() === "POST") {
      let name = "?";
      try {
        name = JSON.parse(request.postData() ?? "{}").operationName ?? "?";
      } catch {
        // not JSON
      }
      graphql.push(name);
    }
  });
  page.on("response", async (response) => {
    if (response.url().endsWith(".js")) {
      const length = Number((await response.allHeaders())["content-length"] ?? 0);
      jsBytes += length;
    }
  });
  if (trace) await browser.startTracing(page, { path: trace, screenshots: false });
  await page.goto("/app/", { waitUntil: "commit" });
  await page.waitForSelector('[data-testid="post"]', { state: "visible", timeout: 30_000 });
  const observed = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => window.__firstPostFrame !== undefined, null, { timeout: 30_000 });
  const timing = await page.evaluate(() => {
    const now = window.__firstPostFrame;
    const nav = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource").filter((r) => r.startTime <= now);
    const requests = [{ name: "document", startTime: nav.startTime, responseEnd: nav.responseEnd }, ...resources.map((r) => ({ name: r.name, startTime: r.startTime, responseEnd: r.responseEnd }))];
    requests.sort((a, b) => a.startTime - b.startTime);
    const depth = [];
    requests.forEach((r, i) => {
      depth[i] = 1 + Math.max(0, ...requests.slice(0, i).map((q, j) => (q.responseEnd <= r.startTime ? depth[j] : 0)));
    });
    const scripts = resources.filter((r) => r.name.endsWith(".js"));
    const queries = resources.filter((r) => r.name.includes("/graphql/"));
    return {
      now,
      htmlEnd: nav.responseEnd,
      scriptsEnd: Math.max(0, ...scripts.map((r) => r.responseEnd)),
      scripts: scripts.length,
      queriesEnd: Math.max(0, ...queries.map((r) => r.responseEnd)),
      serial: Math.max(...depth),
    };
  });
  const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  if (trace) await browser.stopTracing();
  await page.close();
  return {
    ms: timing.now,
    observed,
    jsBytes,
    afterHtml: timing.now - timing.htmlEnd,
    htmlEnd: timing.htmlEnd,
    scriptsEnd: timing.scriptsEnd,
    queriesEnd: timing.queriesEnd,
    serial: timing.serial,
    graphql: graphql.join(",") || "none",
    scriptMs: (metrics.ScriptDuration ?? 0) * 1000,
    taskMs: (metrics.TaskDuration ?? 0) * 1000,
    csp: cspViolations.length,
  };
}

// Warm-up, then interleaved: a cold load (new context, empty cache) and a warm one (same context).
const warm = await signedInContext();
await loadFeed(warm);
const cold = [];
const coldObserved = [];
const coldLoads = [];
const warmTimes = [];
let coldBytes = 0;
for (let i = 0; i < LOADS; i++) {
  const context = await signedInContext();
  const first = await loadFeed(context, i === 0 && args.trace ? args.trace : null);
  cold.push(first.ms);
  coldObserved.push(first.observed);
  coldLoads.push(first);
  coldBytes = first.jsBytes;
  await context.close();
  warmTimes.push((await loadFeed(warm)).ms);
}
await browser.close();
stopServer();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (values) => `median ${median(values).toFixed(0)} ms  min ${Math.min(...values).toFixed(0)}  max ${Math.max(...values).toFixed(0)}`;
console.log(`navigation to the feed's first posts, ${USER}, 390 px, ${LOADS} loads each, interleaved:`);
console.log(`  cold (new browser context, empty cache)  ${fmt(cold)}   JavaScript over the wire ${kB(coldBytes)} (Content-Length, as WhiteNoise sent it)`);
console.log(`  warm (same context, cached assets)       ${fmt(warmTimes)}`);
console.log(`  cold, as Playwright's waitForSelector saw it from outside the page: ${fmt(coldObserved)}`);
console.log("  cold loads, where the time went (ms from navigation start; GraphQL requests sent before the first post):");
console.log("    first posts  HTML end  scripts end  queries end  after HTML  main-thread script/tasks  serial requests  CSP blocks  GraphQL");
for (const l of coldLoads) {
  const c = (v, w) => v.toFixed(0).padStart(w);
  console.log(`    ${c(l.ms, 11)}  ${c(l.htmlEnd, 8)}  ${c(l.scriptsEnd, 11)}  ${c(l.queriesEnd, 11)}  ${c(l.afterHtml, 10)}  ${c(l.scriptMs, 12)} / ${c(l.taskMs, 5)}      ${String(l.serial).padStart(10)}  ${String(l.csp).padStart(10)}  ${l.graphql}`);
}
console.log(`  less load-dependent: requests in series before the first posts ${median(coldLoads.map((l) => l.serial))} (median), GraphQL requests before them ${median(coldLoads.map((l) => (l.graphql === "none" ? 0 : l.graphql.split(",").length)))}; HTML responseEnd to first posts ${fmt(coldLoads.map((l) => l.afterHtml))}`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const ok = initialJs <= 200_000 && median(cold) < 1000 && hostSeparate && brandSeparate;
console.log(`targets: initial JS <= 200 kB gzipped: ${initialJs <= 200_000 ? "yes" : "no"}; feed under 1 s (cold median): ${median(cold) < 1000 ? "yes" : "no"}; host and brand in their own chunks: ${hostSeparate && brandSeparate ? "yes" : "no"}`);
process.exitCode = ok ? 0 : 1;
