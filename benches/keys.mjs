// What the performance benchmarks share: the article and its spans, the hooks that time
// each key from its event to the next paint, and the actions a person takes (select a
// word with the mouse, tag it, relabel it, delete it, undo), so that perf.mjs and
// compare.mjs measure the same thing.
import { readFile } from "node:fs/promises";
import { corpus } from "../e2e/marginalia.mjs";

/** About `kb` kilobytes of news text: BBC articles joined by blank lines. */
export async function article(kb) {
  const texts = (await readFile(corpus("bbc-news.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).text.trim() + "\n\n");
  let out = "";
  for (let i = 0; Buffer.byteLength(out) < kb * 1024; i++) out += texts[i % texts.length];
  return out;
}

/** How the tables name an article of `kb` kilobytes: "10 KB", "1 MB". */
export const sizeName = (kb) => (kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`);

/** `count` spans on whole words, spread evenly, as doccano [start, end, label] (UTF-16). */
export function spans(text, count) {
  const words = [...text.matchAll(/\p{L}[\p{L}\p{N}'’-]*/gu)];
  const step = Math.max(1, Math.floor(words.length / count));
  const out = [];
  for (let i = 0; i < words.length && out.length < count; i += step) {
    const w = words[i];
    out.push([w.index, w.index + w[0].length, ["fact", "quote", "boilerplate"][out.length % 3]]);
  }
  return out;
}

/** The `p`th percentile of the values that were measured (not null). */
export const pct = (values, p) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Installs, in every page of `context`, the timing of each key (`window.__keys`). */
export function watchKeys(context) {
  return context.addInitScript(() => {
    // For each key (not a modifier alone, which does nothing): its event time to a
    // task queued by the next frame's callback, which runs once that frame is painted;
    // and to the same once the side panel has caught up with the change (it is
    // aria-busy until then), if the key changed anything.
    window.__keys = [];
    const stamp = (key, field, t0) =>
      requestAnimationFrame(() => setTimeout(() => (key[field] = performance.now() - t0), 0));
    addEventListener(
      "keydown",
      (e) => {
        if (["Control", "Shift", "Alt", "Meta"].includes(e.key)) return;
        const t0 = e.timeStamp;
        const key = { paint: null, side: null };
        window.__keys.push(key);
        stamp(key, "paint", t0);
        const side = document.querySelector("aside.side");
        const watch = new MutationObserver(() => {
          if (side.getAttribute("aria-busy") !== "false") return;
          watch.disconnect();
          stamp(key, "side", t0);
        });
        if (side) watch.observe(side, { attributes: true, attributeFilter: ["aria-busy"] });
        window.__unwatch = () => watch.disconnect();
      },
      true,
    );
  });
}

/** Waits for two frames: what was changed before is painted. */
export const painted = (app) => app.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

let pressed = 0;

/** Presses `key` a moment after the last one, as a person does, and returns its key to
 *  paint time. The pause (30 to 70 ms, varying) matters: the browser paints at most 60
 *  frames a second, so a key pressed within a few milliseconds of the last key's frame
 *  waits for the next frame slot whatever the app does. Pressed back to back that way,
 *  a key that only changes one character (the floor) measured 15.8 ms at the median and
 *  16.5 ms at p95; with the pause, 5.7 and 11.2 ms. */
export async function timedKey(app, key, { side = true } = {}) {
  // "Control+z": Ctrl is held first, then Z pressed after the pause, as a person does.
  // Pressed together, Ctrl's own event came a millisecond before Z's, and the frame
  // the benchmark asked for on it took Z's frame slot (Z then waited up to 16 ms).
  const modifiers = key.split("+").slice(0, -1);
  for (const m of modifiers) await app.page.keyboard.down(m);
  await app.page.waitForTimeout(30 + ((pressed++ * 7) % 40));
  const before = await app.page.evaluate(() => window.__keys.length);
  await app.page.keyboard.press(key.split("+").at(-1));
  for (const m of modifiers.reverse()) await app.page.keyboard.up(m);
  await app.page.waitForFunction((n) => window.__keys[n]?.paint != null, before);
  // Every timed key changes the editor, so the panel is busy until it catches up; one
  // that has not after 2 s has no side figure, and the run says how many (below).
  if (side) await app.page.waitForFunction((n) => window.__keys[n].side !== null, before, { timeout: 2000 }).catch(() => {});
  return app.page.evaluate((n) => {
    window.__unwatch();
    return [window.__keys[n].paint, window.__keys[n].side];
  }, before);
}

/** Imports `file` (an article with its spans) and presses "Add the document to the
 *  project"; resolves once the article, `length` UTF-16 units, is drawn with its spans
 *  and painted. Returns the time from the press to that paint, in ms. */
export async function addArticle(app, file, length) {
  const dialog = await app.importFiles([file]);
  const add = dialog.getByRole("button", { name: "Add the document to the project" });
  await add.waitFor();
  const t0 = await app.page.evaluate(() => performance.now());
  await add.click();
  await app.page.waitForFunction(
    (len) => document.querySelector("article")?.dataset.len === String(len) && document.querySelector("article [data-p] mark[data-span]"),
    length,
    { timeout: 120_000 },
  );
  await painted(app);
  return (await app.page.evaluate(() => performance.now())) - t0;
}

/** Scrolls through the article, a screen at a time; returns the longest gap between two
 *  frames. Every paragraph is then drawn and measured once. */
export function scrollThrough(app) {
  return app.page.evaluate(async () => {
    let worst = 0;
    let last = performance.now();
    const end = document.documentElement.scrollHeight;
    for (let y = 0; y < end; y += innerHeight * 0.8) {
      scrollTo(0, y);
      await new Promise((ok) => requestAnimationFrame(ok));
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }
    scrollTo(0, 0);
    return worst;
  });
}

/** One round of the actions timed, on a word chosen by `i`: create (select it, 1),
 *  relabel (2), delete, undo; each key's [paint, side] is pushed to `times`. Returns
 *  whether the key made a span (false: a word that had the label already, and the span
 *  nearest the middle was clicked instead). */
export async function annotateOnce(app, i, times) {
  // A word in a paragraph somewhere in the article, scrolled to the middle of the
  // view as a reader would: its paragraph's number and its offset in that
  // paragraph's text (the paragraph may be drawn again before it is selected).
  const [p, offset] = await app.page.evaluate(async (i) => {
    getSelection().removeAllRanges();
    scrollTo(0, ((i * 7919) % 1000) / 1000 * (document.documentElement.scrollHeight - innerHeight));
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    // A word of plain text (outside the spans already there) in the paragraph
    // nearest the middle of the view that has one; in a text where every word is
    // a span, any word.
    const middle = innerHeight / 2;
    const distance = (p) => Math.abs(p.getBoundingClientRect().top - middle);
    const paras = [...document.querySelectorAll("article [data-p]")].sort((a, b) => distance(a) - distance(b));
    for (const plain of [true, false])
    for (const p of paras) {
      const words = [];
      const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (plain && n.parentElement !== p) continue;
        for (const m of n.data.matchAll(/\p{L}{4,}/gu)) words.push([n, m.index]);
      }
      if (!words.length) continue;
      const [node, at] = words[(i * 13) % words.length];
      const range = document.createRange();
      range.setStart(node, at + 1);
      range.setEnd(node, at + 4);
      // In the middle of the view, as a reader has it.
      scrollBy(0, range.getBoundingClientRect().top - middle);
      let offset = at + 1;
      const before = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = before.nextNode(); n !== node; n = before.nextNode()) offset += n.data.length;
      return [p.dataset.p, offset];
    }
    throw new Error("no word in the view");
  }, i);
  // The page settles after the scroll (the paragraphs come into view and are
  // measured, over a few frames), as it has when a person who scrolled there has
  // read to the word. Then the word is selected with the mouse (pressed, dragged
  // over three letters, released: the app snaps it to the word), and "1" comes
  // 100 to 200 ms after the release, the least a person takes from the mouse
  // button to a key (see timedKey on why the pause matters).
  await app.page.waitForTimeout(150);
  await app.dragOver([p, offset], [p, offset + 2], 3);
  await app.page.waitForTimeout(70 + ((i * 37) % 60));
  times.create.push(await timedKey(app, "1"));
  // The new span is drawn and selected; if the key made none (a word that had the
  // label already), the span in view nearest the middle is clicked, and counted.
  const made = await app.page.evaluate(() => {
    getSelection().removeAllRanges();
    if (document.querySelector("article mark.sel")) return true;
    const distance = (m) => Math.abs(m.getBoundingClientRect().top - innerHeight / 2);
    const marks = [...document.querySelectorAll("article mark[data-span]")];
    marks.reduce((best, m) => (distance(m) < distance(best) ? m : best)).click();
    return false;
  });
  times.relabel.push(await timedKey(app, "2"));
  times.delete.push(await timedKey(app, "Delete"));
  times.undo.push(await timedKey(app, "Control+z"));
  return made;
}
