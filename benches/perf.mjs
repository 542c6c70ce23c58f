// Performance benchmark, in headless Chromium on the release build (dist/): articles of
// 10 KB, 100 KB and 1 MB (BBC articles joined, as ../shared/tools/long-article.py does)
// with 100, 1,000 and 10,000 spans. For each it prints:
//
// - open: from pressing "Add the document to the project" (the import of the article
//   with its spans) to the first paint with the text selectable; and from "Load
//   article" for the article alone;
// - scroll: the longest gap between two frames while scrolling through the article
//   (headless Chromium reports no "longtask" entries);
// - key to paint, 95th percentile, for creating a span (select, press 1), relabelling
//   it (2), deleting it (Delete) and undo (Ctrl+Z): from the key's event to the first
//   frame painted after it (the article), and to the frame painted once the side
//   panel shows the change (it is aria-busy until then: it follows the article by a
//   frame); each key 30 to 70 ms after the last one's paint, as a person presses them,
//   and Ctrl held before Z is pressed (see `timedKey`);
// - floor: the same key to paint for a key whose only effect is one character changed
//   at the top of the article (a listener the benchmark adds): what the browser alone
//   takes on this machine (waiting for its frame, style, layout, paint) out of the
//   16 ms budget;
// - memory: JS heap and DOM (measureUserAgentSpecificMemory) plus wasm linear memory;
// - export: Marginalia JSON, from the click to the file's Blob: the app's work (a
//   click sent in the page), and as a user clicks (the pointer pressed and released
//   on the button, so the page's own response to the press counts too);
// - the shipped wasm and JS, gzip.
//
//   node benches/perf.mjs [--sizes 10,100,1024] [--spans 100,1000,10000] [--actions 200]
//                         [--budget 120]   (seconds of actions per case at most)
//                         [--dist DIR]     (another build to measure, to compare two)
//
// It is not a test: it prints figures; it fails only if the app does not do the work.
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../e2e/server.mjs";
import { Marginalia } from "../e2e/marginalia.mjs";
import { shipped, describe } from "./size.mjs";
import { launchMeasuring, keepWasmMemory, memoryOf } from "./measure.mjs";
import { article, sizeName, spans, pct, watchKeys, painted, timedKey, addArticle, scrollThrough, annotateOnce } from "./keys.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1].split(",").map(Number) : fallback;
};
const SIZES = arg("sizes", [10, 100, 1024]);
const SPANS = arg("spans", [100, 1000, 10000]);
const [ACTIONS] = arg("actions", [200]);
// Seconds a case may spend on its actions; a slow build stops early and says how many
// it ran (the table's "actions" column).
const [BUDGET] = arg("budget", [120]);
const distAt = process.argv.indexOf("--dist");
const DIST = distAt > 0 ? process.argv[distAt + 1] : new URL("../dist/", import.meta.url).pathname;

const server = await serve(DIST, { isolated: true });
const browser = await launchMeasuring();
const dir = await mkdtemp(join(tmpdir(), "marginalia-perf-"));
const rows = [];

/** A fresh browser profile with the measuring hooks. */
async function page() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await keepWasmMemory(context);
  await watchKeys(context);
  await context.addInitScript(() => {
    // The moment an export's Blob is made.
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob) => {
      window.__blobAt = performance.now();
      return create(blob);
    };
  });
  const app = await Marginalia.open(context, server.url);
  return { context, app };
}

try {
  for (const kb of SIZES) {
    const text = await article(kb);
    for (const count of SPANS) {
      const { context, app } = await page();
      // Open: the article and its spans added to the project and opened. (A short
      // article has fewer words than spans wanted: then every word is a span.)
      const file = join(dir, `a-${kb}-${count}.jsonl`);
      const labelled = spans(text, count);
      const label = `${sizeName(kb)}, ${labelled.length.toLocaleString("en-US")} spans`;
      const row = { label };
      await writeFile(file, JSON.stringify({ text, label: labelled }) + "\n");
      row.open = await addArticle(app, file, text.length);
      // Every span is in the document (the list's count), though only those near the
      // viewport are drawn.
      const listed = await app.page.evaluate(() => Number(document.querySelector(".annotations h2 .count").textContent));
      if (listed !== labelled.length) throw new Error(`${label}: ${listed} spans listed, ${labelled.length} imported`);

      // Scroll through it: the longest gap between two frames.
      row.scroll = await scrollThrough(app);

      // Key to paint: create (select a word, 1), relabel (2), delete, undo.
      const actions = count >= 10000 || kb >= 1024 ? ACTIONS : Math.min(ACTIONS, 50);
      const times = { create: [], relabel: [], delete: [], undo: [] };
      const deadline = Date.now() + BUDGET * 1000;
      let missed = 0;
      for (let i = 0; i < actions && Date.now() < deadline; i++) {
        if (!(await annotateOnce(app, i, times))) missed++;
      }
      for (const [k, v] of Object.entries(times)) {
        row[k] = [pct(v.map((x) => x[0]), 95), pct(v.map((x) => x[1]), 95)];
        const behind = v.filter((x) => x[1] === null).length;
        if (behind) console.error(`${label}: the side panel had not caught up 2 s after ${behind} of ${v.length} ${k} keys`);
      }
      row.actions = times.undo.length;
      if (missed) console.error(`${label}: ${missed} of ${row.actions} creates left no selected span drawn`);

      // The floor: the page's own listener changes one character; nothing of the app runs.
      await app.page.evaluate(() => {
        const floor = document.createElement("span");
        floor.textContent = "0";
        document.querySelector("article").prepend(floor);
        const listener = (e) => {
          if (e.key === "F9") floor.textContent = String(Number(floor.textContent) + 1);
        };
        addEventListener("keydown", listener);
        window.__floorDone = () => {
          removeEventListener("keydown", listener);
          floor.remove();
        };
      });
      const floor = [];
      for (let i = 0; i < Math.min(actions, 100); i++) {
        floor.push((await timedKey(app, "F9", { side: false }))[0]);
      }
      row.floor = pct(floor, 95);
      await app.page.evaluate(() => window.__floorDone());

      // Memory once the page holds the article and its spans.
      const memory = await memoryOf(app.page);
      row.memory = memory.page + memory.wasm;

      // Export Marginalia JSON, click to Blob: the app's work alone (a click event sent
      // in the page), then as a user clicks (the pointer pressed and released on the
      // button, so the page's own response to the press counts too). Not Playwright's
      // locator.click(): its checks that the button is stable and hit take seconds on
      // a page of 10,000 marks, which a user never waits for.
      row.export = await app.page.evaluate(() => {
        const t0 = performance.now();
        document.querySelector("header .actions button.primary").dispatchEvent(new MouseEvent("click", { bubbles: true }));
        return window.__blobAt - t0;
      });
      // (A CSS locator: role queries walk the accessibility tree, slow with 10,000 marks.)
      const box = await app.page.locator("header .actions button.primary").boundingBox();
      await app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const e0 = await app.page.evaluate(() => performance.now());
      await Promise.all([
        app.page.waitForEvent("download"),
        app.page.mouse.down().then(() => app.page.mouse.up()),
      ]);
      row.exportClick = (await app.page.evaluate(() => window.__blobAt)) - e0;
      if (app.errors.length) throw new Error(app.errors.join("\n"));
      rows.push(row);
      await context.close();
      console.error(`done: ${label}`);
    }
    // Load article: the article alone, pasted.
    const { context, app } = await page();
    await app.page.getByRole("textbox", { name: "Article text" }).fill("");
    await app.paste(text);
    const t0 = await app.page.evaluate(() => performance.now());
    await app.button("Load article").click();
    await app.page.waitForFunction(
      (len) => document.querySelector("article")?.dataset.len === String(len) && document.querySelector("article [data-p]"),
      text.length,
      { timeout: 120_000 },
    );
    await painted(app);
    rows.push({ label: `${sizeName(kb)}, Load article`, open: (await app.page.evaluate(() => performance.now())) - t0 });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}

const size = await shipped(DIST);

const ms = (v) => (v === undefined ? "" : `${Math.round(v)}`);
const pair = (v) => (v ? `${v[0].toFixed(1)} / ${v[1]?.toFixed(1) ?? "–"}` : "");
console.log(`Performance benchmark (release build, headless Chromium, 1366×768), ${new Date().toISOString()}`);
console.log("create, relabel, delete, undo: key to next paint (the article) / key to the paint with the side panel up to date, 95th percentile, ms;");
console.log("floor: key to next paint, 95th percentile, for a key that changes one character and runs none of the app, ms;");
console.log("open, scroll (longest gap between frames) and export in ms; memory (JS heap, DOM and wasm) in MB\n");
console.log("| case | open | scroll | create | relabel | delete | undo | floor | actions | memory | export JSON | export, user's click |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${ms(r.open)} | ${ms(r.scroll)} | ${pair(r.create)} | ${pair(r.relabel)} | ${pair(r.delete)} | ${pair(r.undo)} | ${r.floor === undefined ? "" : r.floor.toFixed(1)} | ${r.actions ?? ""} | ${r.memory ? (r.memory / 1e6).toFixed(1) : ""} | ${ms(r.export)} | ${ms(r.exportClick)} |`,
  );
}
console.log(`\n${describe(size)}`);
