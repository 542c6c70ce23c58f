// Projects benchmark, in headless Chromium on the release build (dist/): imports the
// 1,198 articles of corpus/bbc-news.jsonl into a project, then a project of N articles
// (20,000 by default, generated from the corpus with unique ids), reloads it, and
// prints: import times, the longest main-thread task during each import (how
// responsive the page stays), the time to open the big project after a reload, and
// the page's memory once it is open.
//
//   node benches/projects.mjs [--docs 20000]
//
// It is not a test: it prints figures and fails only if the app does not do the work.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../e2e/server.mjs";
import { Marginalia, corpus } from "../e2e/marginalia.mjs";
import { launchMeasuring, keepWasmMemory, memoryOf } from "./measure.mjs";

const args = process.argv.slice(2);
const DOCS = Number(args[args.indexOf("--docs") + 1]) || 20_000;
const DIST = new URL("../dist/", import.meta.url).pathname;
const fmt = (n) => n.toLocaleString("en-US");

const server = await serve(DIST, { isolated: true });
const browser = await launchMeasuring();
const dir = await mkdtemp(join(tmpdir(), "marginalia-bench-"));
const rows = [];

/**
 * Imports `file` through "Import annotations"; resolves to [ms, longest stall ms]: the
 * longest time a 10 ms timer waited beyond its due time meanwhile, which is how long the
 * page could not answer a key press or a click (headless Chromium reports no
 * "longtask" entries).
 */
async function importFile(app, file, count) {
  await app.page.evaluate(() => {
    window.__longest = 0;
    let last = performance.now();
    clearInterval(window.__probe);
    window.__probe = setInterval(() => {
      const now = performance.now();
      window.__longest = Math.max(window.__longest, now - last - 10);
      last = now;
    }, 10);
  });
  const dialog = await app.importFiles([file]);
  const button = dialog.getByRole("button", { name: `Add ${count} documents to the project` });
  await button.waitFor();
  const started = await app.page.evaluate(() => performance.now());
  await button.click();
  await app.page.getByText(`Added ${fmt(count)} documents`).waitFor({ timeout: 600_000 });
  const ended = await app.page.evaluate(() => performance.now());
  return [ended - started, await app.page.evaluate(() => (clearInterval(window.__probe), window.__longest))];
}

try {
  const context = await browser.newContext();
  await keepWasmMemory(context);
  const app = await Marginalia.open(context, server.url);

  // 1. The BBC corpus into the first project.
  const [bbc, bbcLongest] = await importFile(app, corpus("bbc-news.jsonl"), 1198);
  rows.push(["import 1,198 BBC articles (JSONL, 5 MB)", `${fmt(Math.round(bbc))} ms`]);
  rows.push(["  longest stall of the page meanwhile", `${fmt(Math.round(bbcLongest))} ms`]);

  // 2. A project of DOCS articles, cycled from the corpus with unique ids.
  const lines = (await readFile(corpus("bbc-news.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
  const big = join(dir, `corpus-${DOCS}.jsonl`);
  const out = [];
  for (let i = 0; i < DOCS; i++) {
    const a = lines[i % lines.length];
    out.push(JSON.stringify({ id: `${a.id}#${i}`, title: `${a.title} (${i})`, text: a.text }));
  }
  await writeFile(big, out.join("\n") + "\n");
  const answers = [`${fmt(DOCS)} articles`];
  app.page.on("dialog", (d) => d.accept(answers.shift()));
  await app.projectMenu("New project…");
  await app.page.getByText("This project has no documents yet").waitFor();
  const [bigImport, bigLongest] = await importFile(app, big, DOCS);
  rows.push([`import ${fmt(DOCS)} articles (JSONL, ${fmt(Math.round(out.join("\n").length / 1e6))} MB)`, `${fmt(Math.round(bigImport))} ms`]);
  rows.push(["  longest stall of the page meanwhile", `${fmt(Math.round(bigLongest))} ms`]);

  // 3. Reload: from navigation to the project open (list drawn, article selectable).
  await app.page.reload();
  await app.page.locator('article[aria-busy="false"] [data-p]').first().waitFor();
  await app.documents.getByText(`${fmt(DOCS)} documents`).waitFor();
  const open = await app.page.evaluate(() => performance.now());
  rows.push([`open the project of ${fmt(DOCS)} (reload to first paint of list and article)`, `${fmt(Math.round(open))} ms`]);
  // A list query over every summary: filter titles.
  const t0 = await app.page.evaluate(() => performance.now());
  await app.documents.getByRole("searchbox", { name: "Filter titles" }).fill("shell");
  await app.documents.getByText(/ of [\d,]+ documents shown/).waitFor();
  const t1 = await app.page.evaluate(() => performance.now());
  rows.push([`filter ${fmt(DOCS)} titles (key to list drawn, with the test's round trip)`, `${fmt(Math.round(t1 - t0))} ms`]);

  // 4. Memory once open: the page's JS heap and wasm memory.
  const memory = await memoryOf(app.page);
  rows.push(["memory after opening: JS heap, DOM (measureUserAgentSpecificMemory)", `${(memory.page / 1e6).toFixed(1)} MB`]);
  rows.push(["  wasm linear memory", `${(memory.wasm / 1e6).toFixed(1)} MB`]);
  rows.push(["  total", `${((memory.page + memory.wasm) / 1e6).toFixed(1)} MB`]);
  const storage = await app.page.evaluate(async () => (await navigator.storage.estimate()).usage);
  rows.push(["IndexedDB and other site storage used", `${(storage / 1e6).toFixed(1)} MB`]);
  if (app.errors.length) throw new Error(app.errors.join("\n"));
  await context.close();
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`Projects benchmark (release build, headless Chromium), ${new Date().toISOString()}`);
for (const [what, value] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(10)}`);
