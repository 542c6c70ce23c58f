// Compares builds of the app on this machine at the same time: the same actions as the
// performance benchmark (perf.mjs: a word selected with the mouse, tagged, relabelled,
// deleted, undone), on one article in every build, round by round in turn (A, B, then
// B, A), so that whatever else the machine is doing falls on every build alike. Runs of
// perf.mjs minutes apart on a shared machine differ by more than most changes do: its
// floor moved from 9 to 16 ms between runs of the same build.
//
//   node benches/compare.mjs DIR_A DIR_B [...] [--rounds 100] [--size 1024] [--spans 10000]
//
// Each DIR is a release build (`trunk build --release --dist DIR`). It prints, per build,
// key to paint at the median and the 95th percentile for each action. It is not a test.
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../e2e/server.mjs";
import { Marginalia } from "../e2e/marginalia.mjs";
import { launchMeasuring } from "./measure.mjs";
import { article, sizeName, spans, pct, watchKeys, addArticle, scrollThrough, annotateOnce } from "./keys.mjs";

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = option("rounds", 100);
const KB = option("size", 1024);
const SPANS = option("spans", 10000);
const builds = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
if (builds.length < 2) {
  console.error("usage: node benches/compare.mjs DIR_A DIR_B [...] [--rounds 100] [--size 1024] [--spans 10000]");
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), "marginalia-compare-"));
const browser = await launchMeasuring();
const runs = [];
try {
  const text = await article(KB);
  const file = join(dir, "article.jsonl");
  await writeFile(file, JSON.stringify({ text, label: spans(text, SPANS) }) + "\n");
  for (const build of builds) {
    const server = await serve(build, { isolated: true });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await watchKeys(context);
    const app = await Marginalia.open(context, server.url);
    await addArticle(app, file, text.length);
    // Every paragraph drawn and measured once, as in perf.mjs before its actions.
    await scrollThrough(app);
    runs.push({ build, server, app, missed: 0, times: { create: [], relabel: [], delete: [], undo: [] } });
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const run of i % 2 ? [...runs].reverse() : runs) {
      await run.app.page.bringToFront();
      if (!(await annotateOnce(run.app, i, run.times))) run.missed++;
    }
    if ((i + 1) % 10 === 0) console.error(`${i + 1} of ${ROUNDS} rounds`);
  }
  for (const run of runs) if (run.app.errors.length) throw new Error(`${run.build}: ${run.app.errors.join("\n")}`);
} finally {
  await browser.close();
  for (const run of runs) await run.server.close();
  await rm(dir, { recursive: true, force: true });
}

const label = `${sizeName(KB)}, ${SPANS.toLocaleString("en-US")} spans`;
console.log(`Builds compared, ${label}, ${ROUNDS} rounds in turn, ${new Date().toISOString()}`);
console.log("key to next paint, median / 95th percentile, ms\n");
console.log("| build | create | relabel | delete | undo | creates that made no span |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [n, run] of runs.entries()) {
  const cell = (k) => {
    const paint = run.times[k].map((t) => t[0]);
    return `${pct(paint, 50).toFixed(1)} / ${pct(paint, 95).toFixed(1)}`;
  };
  console.log(`| ${String.fromCharCode(65 + n)}: ${run.build} | ${cell("create")} | ${cell("relabel")} | ${cell("delete")} | ${cell("undo")} | ${run.missed} |`);
}
