// End-to-end tests against the release build (dist/), in headless Chromium, acting as a
// user would: mouse selections, key presses, reloads, downloads.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./browser.mjs";
import { Marginalia, launch, readCorpus, corpus, storedDocuments } from "./marginalia.mjs";

const DIST = new URL("../dist/", import.meta.url).pathname;
const QUOTE = '"Such a visit is being prepared, preparations are underway,"';
const COOKIE_START = "To make this website run properly";
const COOKIE_END = "check our Cookie Policy.";

let server, browser, seed, edge;

before(async () => {
  server = await serve(DIST);
  browser = await launch();
  seed = await readCorpus("seed-article.txt");
  edge = await readCorpus("unicode-edge.txt");
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Asserts the annotations list shows these [label, text] rows; a long text may be
 *  shortened to its beginning and "…". */
async function assertListed(app, expected) {
  const rows = await app.listed();
  assert.equal(rows.length, expected.length, `rows: ${JSON.stringify(rows)}`);
  rows.forEach(([label, excerpt], i) => {
    const [wantLabel, text] = expected[i];
    assert.equal(label, wantLabel);
    const ok = excerpt === text || (excerpt.endsWith("…") && text.startsWith(excerpt.slice(0, -1)) && excerpt.length < text.length);
    assert.ok(ok, `row ${i}: ${JSON.stringify(excerpt)} does not show ${JSON.stringify(text)}`);
  });
}

/** Checks an export the way a dataset builder would: every span's text is the text
 *  between its offsets, in code points and in UTF-16 units (and UTF-8 bytes). */
function checkExport(json, text) {
  assert.equal(json.format, "marginalia");
  assert.equal(json.format_version, 1);
  assert.ok(json.app_version);
  assert.deepEqual(json.labels.map((l) => l.id), ["fact", "quote", "boilerplate"]);
  assert.equal(json.document.text, text, "document text is exact");
  assert.equal(json.document.sha256, createHash("sha256").update(text, "utf8").digest("hex"));
  const codePoints = Array.from(text);
  const bytes = Buffer.from(text, "utf8");
  for (const s of json.spans) {
    assert.equal(codePoints.slice(s.start, s.end).join(""), s.text, `code points of ${s.id}`);
    assert.equal(text.slice(s.start_utf16, s.end_utf16), s.text, `UTF-16 of ${s.id}`);
    assert.equal(bytes.subarray(s.start_utf8, s.end_utf8).toString("utf8"), s.text, `UTF-8 of ${s.id}`);
    assert.match(s.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(s.modified >= s.created);
    assert.equal(s.text.trim(), s.text, "no whitespace at either end");
  }
}

test("first visit: the sample article is loaded, and only the app's own files are fetched", async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
  });
  const app = await Marginalia.open(context, server.url);
  // The Content-Security-Policy is in force: the app itself breaks no rule, and an
  // injected inline script does not run.
  const csp = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.deepEqual(await app.page.evaluate(() => window.__violations), []);
  assert.deepEqual(await app.paragraphs(), seed.split("\n"));
  assert.equal(await app.page.locator("article").count(), 1);
  assert.match(await app.page.getByRole("status").filter({ hasText: "No changes" }).textContent(), /No changes yet/);
  // How much of the browser's storage is used, of the quota.
  assert.match(await app.page.locator(".storage").textContent(), /^Storage: [\d.]+ (B|kB|MB) of [\d.]+ (MB|GB|TB) used/);
  // The project bar: the first project, holding the sample article, none of it done.
  assert.equal(await app.page.locator(".project-name").textContent(), "My articles");
  assert.match(await app.page.locator(".progress").textContent(), /0 of 1 done/);
  assert.deepEqual(await app.documentRows.allInnerTexts(), ["seed-article\nNew · no annotations"]);
  await app.dragSelect(QUOTE);
  await app.page.keyboard.press("2");
  await app.saved();
  await app.page.keyboard.press("Control+z");
  const files = new Set(await readdir(DIST));
  for (const path of server.requests) {
    assert.ok(path === "/" || files.has(path.slice(1)), `unexpected request ${path}`);
  }
  assert.deepEqual(app.errors, []);
  await app.page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__ran = true";
    document.head.append(s);
  });
  assert.equal(await app.page.evaluate(() => window.__ran), undefined);
  await app.page.waitForFunction(() => window.__violations.length > 0);
  await context.close();
});

test("annotate the seed article: select, tag, reload, delete, undo, export", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);

  await app.dragSelect(QUOTE);
  await app.page.keyboard.press("2");
  await assertListed(app, [["Quote", QUOTE]]);

  await app.dragSelect(COOKIE_START, COOKIE_END);
  await app.page.keyboard.press("3");
  const cookie = seed.slice(seed.indexOf(COOKIE_START), seed.indexOf(COOKIE_END) + COOKIE_END.length);
  await assertListed(app, [["Quote", QUOTE], ["Boilerplate", cookie]]);
  await app.page.getByRole("status").filter({ hasText: "Saved at" }).waitFor();

  await app.page.reload();
  await app.ready();
  await assertListed(app, [["Quote", QUOTE], ["Boilerplate", cookie]]);
  // The highlight is drawn over exactly the quote.
  const marked = await app.article.locator("mark.l1").allTextContents();
  assert.equal(marked.join(""), QUOTE);

  // A click on a list item scrolls its span into view and selects it.
  await app.page.evaluate(() => window.scrollTo(0, 0));
  await app.annotations.nth(1).getByRole("button").first().click();
  const box = await app.article.locator("mark.l2").first().boundingBox();
  const viewport = app.page.viewportSize();
  assert.ok(box.y > 0 && box.y + box.height < viewport.height, `cookie span in view (y=${box.y})`);
  assert.equal(await app.article.locator("mark.l2.sel").count(), 1, "the cookie span is drawn as selected");

  // Select the quote from the list, delete it with the key, undo, redo, undo.
  await app.annotations.nth(0).getByRole("button").first().click();
  await app.page.keyboard.press("Delete");
  await assertListed(app, [["Boilerplate", cookie]]);
  await app.page.keyboard.press("Control+z");
  await assertListed(app, [["Quote", QUOTE], ["Boilerplate", cookie]]);
  await app.page.keyboard.press("Control+y");
  await assertListed(app, [["Boilerplate", cookie]]);
  await app.button("Undo").click();
  await assertListed(app, [["Quote", QUOTE], ["Boilerplate", cookie]]);
  await app.page.keyboard.press("Control+Shift+z");
  await assertListed(app, [["Boilerplate", cookie]]);
  await app.page.keyboard.press("Control+z");
  await app.button("Redo").click();
  await assertListed(app, [["Boilerplate", cookie]]);
  assert.ok(await app.button("Redo").isDisabled(), "nothing more to redo");
  await app.button("Undo").click();
  assert.equal(await app.annotationCount(), 2);

  const { name, json } = await app.exportJson();
  assert.equal(name, "seed-article.json");
  checkExport(json, seed);
  assert.deepEqual(
    json.spans.map((s) => [s.label, s.text]),
    [["quote", QUOTE], ["boilerplate", cookie]],
  );
  assert.deepEqual(app.errors, []);
  await context.close();
});

test("nested spans, relabelling, clicking highlights and the Delete button", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const sentence = `${QUOTE} Peskov told reporters at a daily briefing when asked about the matter.`;
  await app.dragSelect(QUOTE, "about the matter.");
  await app.button("Fact").click();
  await app.dragSelect(QUOTE);
  await app.page.keyboard.press("2");
  await assertListed(app, [["Fact", sentence], ["Quote", QUOTE]]);
  // Both are drawn: the quote inside the fact, with its own badge.
  assert.equal(await app.article.locator("mark.l0 mark.l1").count(), 1);
  assert.deepEqual(await app.article.locator("mark.start").evaluateAll((m) => m.map((e) => e.dataset.label)), ["Fact", "Quote"]);

  // A click on the quote selects the inner span; a second click the one around it.
  await app.page.keyboard.press("Escape");
  await app.article.locator("mark.l1").click();
  await assert.doesNotReject(app.annotations.nth(1).locator(".span-show[aria-pressed=true]").waitFor());
  await app.article.locator("mark.l1").click();
  await assert.doesNotReject(app.annotations.nth(0).locator(".span-show[aria-pressed=true]").waitFor());
  // Relabel the selected (outer) span with a key, then with a button.
  await app.page.keyboard.press("3");
  await assertListed(app, [["Boilerplate", sentence], ["Quote", QUOTE]]);
  await app.button("Quote").click();
  await assertListed(app, [["Quote", sentence], ["Quote", QUOTE]]);
  await app.annotations.nth(1).getByRole("button", { name: "Delete" }).click();
  await assertListed(app, [["Quote", sentence]]);
  await context.close();
});

test("unicode-edge.txt pasted into Article text: every character kept, offsets exact", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  await app.paste(edge);
  await app.button("Load article").click();
  await app.page.getByText("Opened").waitFor();
  // CRLF line breaks split paragraphs; every other character is shown as given.
  assert.deepEqual(await app.paragraphs(), edge.split("\r\n"));

  await app.dragSelect("Families gathered outside.");
  await app.page.keyboard.press("1");
  await app.dragSelect("Inflation reached", "November");
  await app.page.keyboard.press("1");
  await app.dragSelect("Café owners", "closed early");
  await app.page.keyboard.press("2");
  await app.dragSelect("Photo: Reuters", "Staff");
  await app.page.keyboard.press("3");
  // Across the CRLF paragraph breaks, from after the ZWJ family to the Chinese text.
  await app.dragSelect("Families", "Beijing");
  await app.page.keyboard.press("2");
  await app.saved();

  await app.page.reload();
  await app.ready();
  assert.equal(await app.annotationCount(), 5);
  const { name, json } = await app.exportJson();
  assert.match(name, /^Tehran .*\.json$/);
  checkExport(json, edge);
  const byText = Object.fromEntries(json.spans.map((s) => [s.text, s]));
  const families = byText["Families gathered outside."];
  assert.deepEqual([families.start, families.end, families.start_utf16, families.end_utf16], [167, 193, 171, 197]);
  const cafe = json.spans.find((s) => s.label === "quote" && s.text.startsWith("Caf"));
  assert.equal(cafe.text, "Café owners (cafe\u0301 with a combining accent) closed early");
  const across = json.spans.find((s) => s.text.startsWith("Families") && s.text.endsWith("Beijing"));
  assert.ok(across.text.includes("\r\n\r\n"), "the span keeps the CRLFs it crosses");
  assert.deepEqual(app.errors, []);
  await context.close();
});

test("open and drop files; bad input leaves the current article untouched", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const dir = await mkdtemp(join(tmpdir(), "marginalia-"));
  try {
    // Open file: the unicode edge file, exactly (CRLF kept).
    const chooser = app.page.waitForEvent("filechooser");
    await app.button("Open file").click();
    await (await chooser).setFiles(corpus("unicode-edge.txt"));
    await app.page.getByText("Opened “unicode-edge”").waitFor();
    assert.deepEqual(await app.paragraphs(), edge.split("\r\n"));
    await app.dragSelect("Beijing");
    await app.page.keyboard.press("1");

    // Not UTF-8: a clear message naming the file and the byte; nothing changes.
    const latin1 = join(dir, "latin1.txt");
    await writeFile(latin1, Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]));
    const chooser2 = app.page.waitForEvent("filechooser");
    await app.button("Open file").click();
    await (await chooser2).setFiles(latin1);
    const alert = app.page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.textContent(), /"latin1\.txt" is not UTF-8 text: byte 3 \(line 1\)/);
    assert.equal(await app.annotationCount(), 1);
    assert.deepEqual(await app.paragraphs(), edge.split("\r\n"));

    // An empty paste: a message, nothing changes.
    await app.button("Load article").click();
    assert.match(await app.page.getByRole("alert").textContent(), /no text to load/);
    assert.deepEqual(await app.paragraphs(), edge.split("\r\n"));

    // Drop the seed article on the page: it is in the project already, so it is
    // opened, not added twice; the unicode article keeps its annotation.
    await app.page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "seed-article.txt", { type: "text/plain" }));
      document.querySelector("article").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, seed);
    await app.page.getByText("This text is already in the project as “seed-article”").waitFor();
    await app.page.waitForFunction((first) => document.querySelector("article [data-p]")?.textContent === first, seed.split("\n")[0]);
    assert.deepEqual(await app.paragraphs(), seed.split("\n"));
    assert.equal(await app.annotationCount(), 0);
    assert.equal(await app.documentRows.count(), 2);
    await app.page.keyboard.press("Shift+N");
    await app.page.getByText("Opened “unicode-edge”").waitFor();
    assert.deepEqual(await app.paragraphs(), edge.split("\r\n"));
    assert.equal(await app.annotationCount(), 1);
  } finally {
    await rm(dir, { recursive: true });
    await context.close();
  }
});

test("markup in an article is shown as text and never run", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  let dialogs = 0;
  app.page.on("dialog", (d) => {
    dialogs++;
    d.dismiss();
  });
  const evil = "<script>alert(1)</script>\n<img src=x onerror=alert(1)>\nplain";
  await app.paste(evil);
  await app.button("Load article").click();
  await app.page.getByText("Opened").waitFor();
  assert.deepEqual(await app.paragraphs(), evil.split("\n"));
  assert.equal(await app.article.locator("img, script").count(), 0);
  await app.page.waitForTimeout(200);
  assert.equal(dialogs, 0);
  assert.ok(!server.requests.includes("/x"), "no request for the img");
  await context.close();
});

test("selections that start or end outside the text are clamped to it", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  // Programmatic selections with ends outside the article: before it (the header),
  // after it (the end of the layout), and on a container of the article.
  const select = (how) =>
    app.page.evaluate((how) => {
      const paras = [...document.querySelectorAll("article [data-p]")];
      const textIn = (p, needle) => {
        const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const at = n.data.indexOf(needle);
          if (at >= 0) return [n, at];
        }
        throw new Error(needle);
      };
      const sel = getSelection();
      const main = document.querySelector("main");
      if (how === "from-header") {
        const [n, at] = textIn(paras[1], "warning");
        sel.setBaseAndExtent(document.querySelector("h1").firstChild, 3, n, at + "warning".length);
      } else if (how === "to-container") {
        const [n, at] = textIn(paras[paras.length - 1], "cookies enable");
        sel.setBaseAndExtent(n, at, main, main.childNodes.length);
      } else if (how === "to-aside") {
        const [n, at] = textIn(paras[paras.length - 1], "browser preferences");
        sel.setBaseAndExtent(n, at, document.querySelector("aside h2").firstChild, 2);
      }
    }, how);
  await select("from-header");
  await app.page.keyboard.press("1");
  await select("to-container");
  await app.page.keyboard.press("3");
  await select("to-aside");
  await app.page.keyboard.press("2");
  const { json } = await app.exportJson();
  checkExport(json, seed);
  const texts = json.spans.map((s) => [s.label, s.text]);
  assert.deepEqual(texts[0], ["fact", "Iran\nTrump’s warning"]);
  const last = seed.split("\n").at(-1);
  assert.ok(texts.some(([l, t]) => l === "boilerplate" && t === last.slice(last.indexOf("cookies enable"))));
  assert.ok(texts.some(([l, t]) => l === "quote" && t === "browser preferences."));
  await context.close();
});

test("a drag that ends in a blank line stops at the text before it", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  await app.paste(edge);
  await app.button("Load article").click();
  await app.page.getByText("Opened").waitFor();
  const blank = app.article.locator("[data-p='3']");
  assert.equal(await blank.textContent(), "");
  // Press on the start of "Families" and release over the blank line below it.
  const from = await app.page.evaluate(() => {
    const p = document.querySelector("article [data-p='2']");
    const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let n = walk.nextNode();
    while (n && !n.data.includes("Families")) n = walk.nextNode();
    const r = document.createRange();
    r.setStart(n, n.data.indexOf("Families"));
    r.setEnd(n, n.data.indexOf("Families") + 1);
    const b = r.getBoundingClientRect();
    return { x: b.left + 1, y: b.top + b.height / 2 };
  });
  const box = await blank.boundingBox();
  await app.page.mouse.move(from.x, from.y);
  await app.page.mouse.down();
  await app.page.mouse.move(box.x + 20, box.y + box.height / 2, { steps: 8 });
  await app.page.mouse.up();
  await app.page.keyboard.press("1");
  const { json } = await app.exportJson();
  assert.deepEqual(json.spans.map((s) => s.text), ["Families gathered outside."]);
  checkExport(json, edge);
  await context.close();
});

test("two tabs on the same work: a change in one appears in the other", async () => {
  const context = await browser.newContext();
  const a = await Marginalia.open(context, server.url);
  const b = await Marginalia.open(context, server.url);
  await a.dragSelect(QUOTE);
  await a.page.keyboard.press("2");
  await b.page.getByText("Updated with changes made in another tab").waitFor({ timeout: 1000 });
  await assertListed(b, [["Quote", QUOTE]]);
  await b.annotations.nth(0).getByRole("button", { name: "Delete" }).click();
  await a.page.getByText("Updated with changes made in another tab").waitFor({ timeout: 1000 });
  assert.equal(await a.annotationCount(), 0);
  await b.dragSelect(COOKIE_START, COOKIE_END);
  await b.page.keyboard.press("3");
  await a.page.locator("mark.l2").waitFor({ timeout: 1000 });
  await a.page.reload();
  await a.ready();
  await assertListed(a, [["Boilerplate", seed.slice(seed.indexOf(COOKIE_START), seed.indexOf(COOKIE_END) + COOKIE_END.length)]]);
  await context.close();
});

test("labels changed in another tab, on another document, keep the annotations this tab saved since it opened its own", async () => {
  const context = await browser.newContext();
  const a = await Marginalia.open(context, server.url);
  const b = await Marginalia.open(context, server.url);
  // b works on a second document of the project.
  await b.paste("A second article.\n\nIt has two paragraphs.");
  await b.button("Load article").click();
  await b.page.locator("article", { hasText: "A second article." }).waitFor();
  // Made and saved in a after its document opened there.
  await a.dragSelect(QUOTE);
  await a.page.keyboard.press("2");
  await a.saved();
  // b adds a label; a takes the new labels in, with its work as it is.
  await b.page.getByText("Guidelines").click();
  await b.button("Edit labels").click();
  const dialog = b.page.getByRole("dialog", { name: "Labels" });
  await dialog.getByRole("button", { name: "Add label" }).click();
  await dialog.getByRole("listitem").nth(3).getByLabel("Name").fill("Speaker");
  await dialog.getByRole("button", { name: "Save labels" }).click();
  await dialog.waitFor({ state: "detached" });
  await a.page.locator(".label-buttons button", { hasText: "Speaker" }).waitFor({ timeout: 3000 });
  await assertListed(a, [["Quote", QUOTE]]);
  // The next change is saved with it: the stored document has both.
  await a.dragSelect(COOKIE_START, COOKIE_END);
  await a.page.keyboard.press("3");
  await a.saved();
  const stored = (await storedDocuments(a.page)).map((d) => [d.name, d.spans.length]);
  assert.deepEqual(stored.sort(), [["A second article.", 0], ["seed-article", 2]].sort());
  await context.close();
});

test("selections snap to whole words; character precision is a remembered toggle", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  // From inside "Kremlin" to inside "spokesman": snapped to both whole words.
  await app.dragSelect("mlin spokes");
  assert.match(await app.page.locator("#tag-hint").textContent(), /Selected “Kremlin spokesman”/);
  assert.equal(await app.page.evaluate(() => getSelection().toString()), "Kremlin spokesman", "the selection shows the snap");
  await app.page.keyboard.press("1");
  // W turns snapping off: the selection is kept to the character.
  const toggle = app.page.getByRole("checkbox", { name: /Snap to whole words/ });
  assert.ok(await toggle.isChecked());
  await app.page.keyboard.press("w");
  assert.ok(!(await toggle.isChecked()));
  await app.dragSelect("mlin spokes");
  await app.page.keyboard.press("2");
  await assertListed(app, [["Fact", "Kremlin spokesman"], ["Quote", "mlin spokes"]]);
  await app.page.reload();
  await app.ready();
  assert.ok(!(await app.page.getByRole("checkbox", { name: /Snap to whole words/ }).isChecked()), "remembered");
  await app.page.getByRole("checkbox", { name: /Snap to whole words/ }).click();
  assert.ok(await app.page.getByRole("checkbox", { name: /Snap to whole words/ }).isChecked());
  await context.close();
});

test("Alt+click selects a sentence, Alt+Shift+click a paragraph", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  await app.clickText("isolated episode", ["Alt"]);
  await app.page.keyboard.press("1");
  const para = seed.split("\n").find((l) => l.startsWith("The latest unrest"));
  const first = "The latest unrest in Iran, which reportedly left several people dead on Thursday, is not an isolated episode.";
  await app.clickText("persistent crisis", ["Alt"]);
  await app.page.keyboard.press("2");
  await app.clickText("biggest protests", ["Alt", "Shift"]);
  await app.page.keyboard.press("3");
  const { json } = await app.exportJson();
  checkExport(json, seed);
  assert.deepEqual(
    json.spans.map((s) => [s.label, s.text]),
    [
      ["fact", first],
      ["quote", para.slice(first.length + 1)],
      ["boilerplate", seed.split("\n").find((l) => l.includes("biggest protests"))],
    ],
  );
  await context.close();
});

test("close the browser and come back: everything is there", async () => {
  const profile = await mkdtemp(join(tmpdir(), "marginalia-profile-"));
  const start = () => chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    let context = await start();
    let app = await Marginalia.open(context, server.url);
    await app.dragSelect(QUOTE);
    await app.page.keyboard.press("2");
    await app.page.getByRole("status").filter({ hasText: "Saved at" }).waitFor();
    await context.close();

    context = await start();
    app = await Marginalia.open(context, server.url);
    await assertListed(app, [["Quote", QUOTE]]);
    await context.close();
  } finally {
    await rm(profile, { recursive: true });
  }
});

test("a long article (300 KB) draws only what is near the view; scrolling, tagging far down, jumping to an annotation and reloading all work", async () => {
  const stories = (await readCorpus("bbc-news.jsonl")).trim().split("\n").map((l) => JSON.parse(l).text.trim());
  let text = "";
  for (let i = 0; text.length < 300_000; i++) text += (i ? "\n\n" : "") + stories[i];
  const lines = text.split("\n");
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const app = await Marginalia.open(context, server.url);
  await app.paste(text);
  await app.button("Load article").click();
  await app.page.getByText("Opened").waitFor();
  await app.ready();
  const drawn = () => app.page.evaluate(() => [...document.querySelectorAll("article [data-p]")].map((p) => Number(p.dataset.p)));
  const first = await drawn();
  assert.ok(first.length < lines.length / 4, `${first.length} of ${lines.length} paragraphs drawn`);
  assert.equal(first[0], 0);
  // The page is as tall as the whole article would be: the spacers stand for the rest.
  const height = await app.page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height > 40 * 768, `page height ${height}`);

  // A selection outlives scrolling far from it: its paragraph stays drawn, so a label
  // key pressed twenty screens further down still tags it.
  const opening = stories[0].split("\n")[0].split(" ").slice(0, 3).join(" ");
  await app.dragSelect(opening);
  await app.page.mouse.move(600, 400);
  for (let i = 0; i < 20; i++) {
    await app.page.mouse.wheel(0, 768);
    await app.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  }
  const after = await drawn();
  assert.ok(after.includes(0) && after.at(-1) > 20, `drawn while a selection at the top lasts: ${after[0]}..${after.at(-1)}`);
  await app.page.keyboard.press("2");
  await app.page.getByText("Tagged as Quote").waitFor();
  assert.deepEqual(await app.listed(), [["Quote", opening]]);
  // Once it is tagged (the selection is gone), the paragraphs far above are let go.
  await app.page.mouse.wheel(0, 768);
  await app.page.waitForFunction(() => document.querySelector("article [data-p]")?.dataset.p !== "0");

  // Scroll to the end as a reader would (End key): the last lines are drawn.
  await app.page.locator("body").click({ position: { x: 5, y: 400 } });
  await app.page.keyboard.press("End");
  await app.page.waitForFunction((n) => [...document.querySelectorAll("article [data-p]")].some((p) => Number(p.dataset.p) === n - 1), lines.length);
  const lastStory = stories.find((s) => text.endsWith(s));
  const phrase = lastStory.split("\n").at(-1).split(" ").slice(0, 4).join(" ");
  await app.dragSelect(phrase);
  await app.page.keyboard.press("1");
  await app.page.getByText("Tagged as Fact").waitFor();
  assert.deepEqual(await app.listed(), [["Quote", opening], ["Fact", phrase]]);

  // Back to the top, then the far annotation's button in the list brings it into view.
  await app.page.keyboard.press("Home");
  await app.page.waitForFunction(() => document.querySelector("article [data-p]")?.dataset.p === "0");
  await app.annotations.nth(1).getByRole("button").first().click();
  await app.page.waitForFunction(() => {
    const mark = document.querySelector("article mark.sel");
    if (!mark) return false;
    const r = mark.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });

  // Reload: the work is kept, and its offsets are exact in the export.
  await app.saved();
  await app.page.reload();
  await app.ready();
  assert.deepEqual(await app.listed(), [["Quote", opening], ["Fact", phrase]]);
  const { json } = await app.exportJson();
  assert.equal(json.document.text, text);
  const [quote, fact] = json.spans;
  assert.equal(text.slice(quote.start_utf16, quote.end_utf16), opening);
  assert.equal(quote.start_utf16, 0);
  assert.equal(text.slice(fact.start_utf16, fact.end_utf16), phrase);
  assert.ok(fact.start_utf16 > text.length - lastStory.length, "the span is in the last story");
  assert.deepEqual(app.errors, []);
  await context.close();
});
