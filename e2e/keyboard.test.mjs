// End-to-end: annotating with the keyboard only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve } from "./server.mjs";
import { Marginalia, launch, readCorpus } from "./marginalia.mjs";

const DIST = new URL("../dist/", import.meta.url).pathname;
let server, browser, seed;

before(async () => {
  server = await serve(DIST);
  browser = await launch();
  seed = await readCorpus("seed-article.txt");
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The text under the keyboard focus, as the page draws it. */
const focused = (app) =>
  app.page.evaluate(() => {
    const h = CSS.highlights.get("marginalia-focus");
    return h ? [...h][0].toString() : null;
  });

test("move by sentence and paragraph, resize by a word, tag, step through annotations", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const key = (k) => app.page.keyboard.press(k);
  await key("j");
  assert.equal(await focused(app), "Iran");
  await key("j");
  assert.equal(await focused(app), "Trump’s warning draws sharp response from Tehran");
  await key("ArrowDown");
  const trump = "US President Donald Trump said on Friday that the United States would intervene if Iranian authorities violently crack down on peaceful protesters.";
  assert.equal(await focused(app), trump);
  await key("1");
  await key("Shift+J");
  const visit = seed.split("\n")[3];
  assert.equal(await focused(app), visit);
  await key("k");
  assert.equal(await focused(app), trump);
  await key("Shift+J");
  await key("Shift+J");
  assert.equal(await focused(app), "Iranian President Masoud Pezeshkian, Reuters/Maxim Shemetov");
  await key("3");
  // Three sentences on: the quote; shrink its end to the closing quotation mark.
  for (let i = 0; i < 3; i++) await key("j");
  const quoteSentence = '"Such a visit is being prepared, preparations are underway," Peskov told reporters at a daily briefing when asked about the matter.';
  assert.equal(await focused(app), quoteSentence);
  for (let i = 0; i < 12; i++) await key("Shift+ArrowLeft");
  assert.equal(await focused(app), '"Such a visit is being prepared, preparations are underway,"');
  await key("2");
  await key("Shift+ArrowRight");
  assert.equal(await focused(app), '"Such a visit is being prepared, preparations are underway," Peskov');
  // Alt+Shift+→ drops the first word (with the quotation mark before it); Alt+Shift+←
  // takes it back.
  await key("Alt+Shift+ArrowRight");
  assert.equal(await focused(app), 'a visit is being prepared, preparations are underway," Peskov');
  await key("Alt+Shift+ArrowLeft");
  assert.equal(await focused(app), 'Such a visit is being prepared, preparations are underway," Peskov');
  // Typing in a field never moves the focus.
  await app.page.getByRole("textbox", { name: "Article text" }).focus();
  await app.page.keyboard.type("jjk1");
  assert.equal(await app.page.getByRole("textbox", { name: "Article text" }).inputValue(), "jjk1");
  assert.equal(await focused(app), 'Such a visit is being prepared, preparations are underway," Peskov');
  await app.page.getByRole("textbox", { name: "Article text" }).fill("");
  await app.article.click({ position: { x: 2, y: 2 } });
  // n / p select annotations in document order; Delete removes; Ctrl+Z brings it back.
  await key("Escape");
  await key("n");
  assert.equal(await app.selectedRowLabel(), "Fact");
  await key("n");
  await key("n");
  assert.equal(await app.selectedRowLabel(), "Quote");
  await key("p");
  assert.equal(await app.selectedRowLabel(), "Boilerplate");
  await key("Delete");
  assert.equal(await app.annotationCount(), 2);
  await key("Control+z");
  const { json } = await app.exportJson();
  assert.deepEqual(
    json.spans.map((s) => [s.label, s.text]),
    [
      ["fact", trump],
      ["boilerplate", "Iranian President Masoud Pezeshkian, Reuters/Maxim Shemetov"],
      ["quote", '"Such a visit is being prepared, preparations are underway,"'],
    ],
  );
  assert.deepEqual(app.errors, []);
  await context.close();
});

test("? shows every shortcut; Esc closes it", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  await app.page.keyboard.press("?");
  const dialog = app.page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await dialog.waitFor();
  for (const keys of ["j / k", "Shift+J / Shift+K", "Shift+→ / Shift+←", "n / p", "Ctrl+Z", "Alt+click"]) {
    assert.ok(await dialog.getByText(keys, { exact: true }).isVisible(), keys);
  }
  // Keys do not reach the article behind the overlay.
  await app.page.keyboard.press("j");
  await app.page.keyboard.press("1");
  assert.equal(await focusedText(app), null);
  assert.equal(await app.annotationCount(), 0);
  await app.page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  // Nor behind the labels dialog; Escape closes it too.
  await app.page.getByText("Guidelines").click();
  await app.button("Edit labels").click();
  await app.page.keyboard.press("j");
  assert.equal(await focusedText(app), null);
  await app.page.keyboard.press("Escape");
  await app.page.getByRole("dialog", { name: "Labels" }).waitFor({ state: "detached" });
  await context.close();
});

test("edit labels: rename, add one with a key, remove one in use (relabelling its spans); guidelines show descriptions", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  await app.dragSelect("Editing by Andrew Osborn");
  await app.page.keyboard.press("3");
  await app.page.getByText("Guidelines").click();
  assert.match(await app.page.locator(".guidelines").textContent(), /checkable figure or event/);
  await app.button("Edit labels").click();
  const dialog = app.page.getByRole("dialog", { name: "Labels" });
  const rows = dialog.getByRole("listitem");
  // Moving a label keeps the keyboard on the button that moved it.
  await dialog.getByRole("button", { name: "Move Boilerplate up" }).click();
  assert.deepEqual(await rows.getByLabel("Name").evaluateAll((i) => i.map((x) => x.value)), ["Fact", "Boilerplate", "Quote"]);
  await app.page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Move Boilerplate up");
  await app.page.keyboard.press("Enter");
  assert.deepEqual(await rows.getByLabel("Name").evaluateAll((i) => i.map((x) => x.value)), ["Boilerplate", "Fact", "Quote"]);
  await dialog.getByRole("button", { name: "Move Boilerplate down" }).click();
  await dialog.getByRole("button", { name: "Move Boilerplate down" }).click();
  await rows.nth(0).getByLabel("Name").fill("Claim");
  await dialog.getByRole("button", { name: "Add label" }).click();
  await rows.nth(3).getByLabel("Name").fill("Speaker");
  await rows.nth(3).getByLabel("Key").fill("j");
  await rows.nth(3).getByLabel("Description").fill("The person a quote is from.");
  await dialog.getByRole("button", { name: "Remove Boilerplate" }).click();
  assert.match(await dialog.textContent(), /1 annotation\(s\) use “Boilerplate”/);
  await dialog.getByRole("combobox").selectOption({ label: "relabel them as Quote" });
  await dialog.getByRole("button", { name: "Save labels" }).click();
  // j is a shortcut of its own: refused with a reason, nothing changed.
  assert.match(await dialog.getByRole("alert").textContent(), /"j" is already a shortcut/);
  await rows.nth(2).getByLabel("Key").fill("4");
  await dialog.getByRole("button", { name: "Save labels" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(await app.page.locator(".label-buttons button").allTextContents(), ["Claim 1", "Quote 2", "Speaker 4"]);
  await assertLabels(app, [["Quote", "Editing by Andrew Osborn"]]);
  await app.dragSelect("Dmitry Peskov");
  await app.page.keyboard.press("4");
  const { json } = await app.exportJson();
  assert.deepEqual(json.labels.map((l) => [l.id, l.name, l.key]), [["fact", "Claim", "1"], ["quote", "Quote", "2"], ["speaker", "Speaker", "4"]]);
  assert.equal(json.labels[2].description, "The person a quote is from.");
  assert.deepEqual(json.spans.map((s) => [s.label, s.text]), [["speaker", "Dmitry Peskov"], ["quote", "Editing by Andrew Osborn"]]);
  // One undo takes the label change back whole.
  await app.page.keyboard.press("Control+z");
  await app.page.keyboard.press("Control+z");
  assert.deepEqual(await app.page.locator(".label-buttons button").allTextContents(), ["Fact 1", "Quote 2", "Boilerplate 3"]);
  await context.close();
});

async function assertLabels(app, expected) {
  const rows = await app.listed();
  assert.deepEqual(rows, expected);
}

test("suggestions: review with ] a x, accept all boilerplate, undo one; origins are exported", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const key = (k) => app.page.keyboard.press(k);
  // Two facts by the keyboard: j moves, 1 tags.
  await key("j");
  await key("j");
  await key("j");
  await key("1");
  await key("Shift+J");
  await key("1");
  // The first suggestion, then accept the Peskov quote and reject one.
  const panel = app.page.getByRole("region", { name: "Suggestions" });
  await key("]");
  assert.match(await panel.textContent(), /Suggested Boilerplate \(boilerplate\.caption/);
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await key("]");
    found = /Suggested Quote \(quote\.quoted.*speaker: Peskov/.test(await panel.textContent());
  }
  assert.ok(found, "the Peskov quote is suggested with its speaker");
  await key("a");
  await key("]");
  const rejected = await focusedText(app);
  await key("x");
  assert.notEqual(await focusedText(app), null);
  // Accept every boilerplate suggestion at once, then undo that step.
  await panel.getByRole("button", { name: "Accept all Boilerplate" }).click();
  const withBoilerplate = await app.annotationCount();
  assert.ok(withBoilerplate >= 3 + 7, `boilerplate accepted (${withBoilerplate})`);
  await key("Control+z");
  assert.equal(await app.annotationCount(), 3);
  await panel.getByRole("button", { name: "Accept all Boilerplate" }).click();
  await app.page.reload();
  await app.ready();
  const { json } = await app.exportJson();
  const origins = json.spans.map((s) => s.origin);
  assert.equal(origins.filter((o) => o === "manual").length, 2);
  assert.ok(origins.includes("suggestion:quote.quoted"));
  assert.ok(origins.includes("suggestion:boilerplate.cookie"));
  assert.ok(origins.includes("suggestion:boilerplate.repeated"));
  const texts = json.spans.map((s) => s.text);
  assert.ok(texts.includes('"Such a visit is being prepared, preparations are underway,"'));
  assert.ok(texts.includes("Editing by Andrew Osborn"));
  assert.ok(!texts.includes(rejected), "a rejected suggestion is not exported");
  for (const s of json.spans) assert.equal(Array.from(seed).slice(s.start, s.end).join(""), s.text);
  await context.close();
});

async function focusedText(app) {
  return app.page.evaluate(() => {
    const h = CSS.highlights.get("marginalia-focus");
    return h ? [...h][0].toString() : null;
  });
}

test("a quote's speaker (a span or a name) and a note are kept and exported", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  await app.dragSelect("Sergei Lavrov");
  await app.page.keyboard.press("1");
  await app.dragSelect('"in the near future"');
  await app.page.keyboard.press("2");
  const panel = app.page.getByRole("region", { name: "Selected annotation" });
  await panel.getByLabel("Note").fill("Lavrov, on state television");
  await panel.getByLabel("Note").blur();
  await panel.getByLabel("or the annotation that names the speaker").selectOption({ label: "Sergei Lavrov" });
  // An accepted quote suggestion brings its speaker as a name.
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await app.page.keyboard.press("]");
    found = /speaker: Peskov/.test(await app.page.getByRole("region", { name: "Suggestions" }).textContent());
  }
  assert.ok(found);
  await app.page.keyboard.press("a");
  await app.saved();
  await app.page.reload();
  await app.ready();
  const { json } = await app.exportJson();
  const near = json.spans.find((s) => s.text === '"in the near future"');
  const lavrov = json.spans.find((s) => s.text === "Sergei Lavrov");
  assert.equal(near.note, "Lavrov, on state television");
  assert.deepEqual(near.speaker, { span: lavrov.id, text: "Sergei Lavrov" });
  const peskov = json.spans.find((s) => s.origin === "suggestion:quote.quoted");
  assert.deepEqual(peskov.speaker, { text: "Peskov" });
  assert.equal(lavrov.speaker, undefined);
  await context.close();
});

test("the whole seed article from the keyboard: facts, a quote with its speaker, all boilerplate, one undone", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const key = (k) => app.page.keyboard.press(k);
  for (const k of ["j", "j", "j", "1", "Shift+J", "1"]) await key(k);
  const panel = app.page.getByRole("region", { name: "Suggestions" });
  // To the Peskov quote suggestion, accept it (its speaker comes along).
  for (let i = 0; i < 40 && !/speaker: Peskov/.test(await panel.textContent()); i++) await key("]");
  await key("a");
  // Back to a boilerplate suggestion, accept every boilerplate suggestion, undo that.
  for (let i = 0; i < 40 && !/Suggested Boilerplate/.test(await panel.textContent()); i++) await key("[");
  await key("Shift+A");
  const all = await app.annotationCount();
  await key("Control+z");
  assert.equal(await app.annotationCount(), 3);
  await key("Control+Shift+z");
  assert.equal(await app.annotationCount(), all);
  // Undo one of them: select the last annotation and delete it.
  await key("Escape");
  await key("p");
  await key("Delete");
  assert.equal(await app.annotationCount(), all - 1);
  await app.page.reload();
  await app.ready();
  const { json } = await app.exportJson();
  assert.equal(json.spans.length, all - 1);
  assert.equal(json.spans.filter((s) => s.label === "fact" && s.origin === "manual").length, 2);
  const quote = json.spans.find((s) => s.label === "quote");
  assert.deepEqual(quote.speaker, { text: "Peskov" });
  assert.ok(json.spans.filter((s) => s.origin.startsWith("suggestion:boilerplate")).length >= 6);
  for (const s of json.spans) assert.equal(Array.from(seed).slice(s.start, s.end).join(""), s.text);
  await context.close();
});

test("suggestions follow the article: another article brings its own, and drops the focus", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const panel = app.page.getByRole("region", { name: "Suggestions" });
  await app.page.keyboard.press("j");
  assert.equal(await focusedText(app), "Iran");
  await app.paste("Plain prose with no figures at all.\nAnother line of ordinary prose.");
  await app.button("Load article").click();
  await app.page.locator(".notice", { hasText: "Opened" }).waitFor();
  assert.equal(await focusedText(app), null, "the focus does not outlive its article");
  assert.match(await panel.textContent(), /None open on this article/);
  await app.page.keyboard.press("1");
  assert.equal(await app.annotationCount(), 0);
  // Back to the seed article: its suggestions are back.
  await app.page.keyboard.press("Shift+P");
  await app.page.locator(".notice", { hasText: "Opened “seed-article”" }).waitFor();
  assert.match(await panel.textContent(), /Accept all Boilerplate/);
  await context.close();
});
