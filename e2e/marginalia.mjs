// Page object for Marginalia: what a user sees and does, through accessible names.
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";
import { CHROMIUM, CHROMIUM_ARGS } from "./browser.mjs";

export const corpus = (name) => new URL(`../corpus/${name}`, import.meta.url).pathname;
export const readCorpus = (name) => readFile(corpus(name), "utf8");

/** Starts headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export class Marginalia {
  constructor(page) {
    this.page = page;
    this.errors = [];
    page.on("pageerror", (e) => this.errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") this.errors.push(m.text());
    });
  }

  static async open(context, url) {
    const app = new Marginalia(await context.newPage());
    await app.page.goto(url);
    await app.ready();
    return app;
  }

  /** Waits until the stored projects are read and the open document is drawn. */
  async ready() {
    await this.page.locator('article[aria-busy="false"] [data-p]').first().waitFor();
  }

  /** Waits until every change is stored (the status line says "Saved at …"). */
  async saved() {
    await this.page.locator(".save").filter({ hasText: /^Saved at/ }).waitFor();
  }

  /** The documents panel. */
  get documents() {
    return this.page.getByRole("navigation", { name: "Documents" });
  }

  /** The rows of the document list (only those drawn: the list draws the rows in view). */
  get documentRows() {
    return this.page.getByRole("list", { name: "Documents of the project" }).getByRole("button");
  }

  get article() {
    return this.page.locator("article");
  }

  /** The rows of the annotations list (only those drawn: the list draws the rows in view). */
  get annotations() {
    return this.page.getByRole("list", { name: "Annotations" }).getByRole("listitem");
  }

  /** How many annotations the document has, as the list's heading says. */
  async annotationCount() {
    await this.sideShown();
    return Number(await this.page.locator(".annotations h2 .count").textContent());
  }

  button(name) {
    return this.page.getByRole("button", { name, exact: true });
  }

  /** The article's paragraphs' text, one entry per line of the document. */
  paragraphs() {
    return this.article.locator("[data-p]").allTextContents();
  }

  /**
   * Drags the mouse from the first character of `from` to the last character of `to`
   * (the `occurrence`-th place where `from` appears; `to` is searched from there on).
   */
  async dragSelect(from, to = from, occurrence = 0) {
    const [a, b] = await this.page.evaluate(
      ([from, to, occurrence]) => {
        const paras = [...document.querySelectorAll("article [data-p]")];
        const find = (needle, startPara, startAt, skip) => {
          for (let i = startPara; i < paras.length; i++) {
            let at = paras[i].textContent.indexOf(needle, i === startPara ? startAt : 0);
            while (at >= 0) {
              if (skip-- === 0) return { i, at };
              at = paras[i].textContent.indexOf(needle, at + 1);
            }
          }
          throw new Error(`not in the article: ${needle}`);
        };
        const a = find(from, 0, 0, occurrence);
        const b = find(to, a.i, a.at, 0);
        paras[a.i].scrollIntoView({ block: "center" });
        return [
          [paras[a.i].dataset.p, a.at],
          [paras[b.i].dataset.p, b.at + to.length - 1],
        ];
      },
      [from, to, occurrence],
    );
    await this.dragOver(a, b);
  }

  /**
   * Drags the mouse, where the page is scrolled now, from character `first` to
   * character `last` (each `[paragraph number, offset in its text]`), in `steps` moves.
   */
  async dragOver(first, last, steps = 8) {
    const points = await this.page.evaluate(
      ([first, last]) => {
        const charRect = ([p, offset]) => {
          const walk = document.createTreeWalker(document.querySelector(`article [data-p="${p}"]`), NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            if (offset < n.data.length) {
              const r = document.createRange();
              r.setStart(n, offset);
              r.setEnd(n, offset + 1);
              const rects = r.getClientRects();
              return rects[rects.length - 1];
            }
            offset -= n.data.length;
          }
          throw new Error("offset past paragraph");
        };
        const [a, b] = [charRect(first), charRect(last)];
        return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
      },
      [first, last],
    );
    const m = this.page.mouse;
    await m.move(points.x1, points.y1);
    await m.down();
    await m.move(points.x2, points.y2, { steps });
    await m.up();
  }

  /** The viewport point over the middle of the first character of `needle`. */
  async pointAt(needle) {
    return this.page.evaluate((needle) => {
      for (const p of document.querySelectorAll("article [data-p]")) {
        const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const at = n.data.indexOf(needle);
          if (at < 0) continue;
          n.parentElement.scrollIntoView({ block: "center" });
          const r = document.createRange();
          r.setStart(n, at);
          r.setEnd(n, at + 1);
          const b = r.getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        }
      }
      throw new Error(`not in the article: ${needle}`);
    }, needle);
  }

  /** Clicks on the first character of `needle` with modifier keys held. */
  async clickText(needle, modifiers = []) {
    const { x, y } = await this.pointAt(needle);
    for (const m of modifiers) await this.page.keyboard.down(m);
    await this.page.mouse.click(x, y);
    for (const m of modifiers.reverse()) await this.page.keyboard.up(m);
  }

  /** Pastes `text` into "Article text" as the clipboard would (line breaks as given). */
  async paste(text) {
    const box = this.page.getByRole("textbox", { name: "Article text" });
    await box.focus();
    await box.evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      const ev = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
      if (el.dispatchEvent(ev)) {
        // Nobody handled it: insert it as the browser would.
        el.setRangeText(text, el.selectionStart, el.selectionEnd, "end");
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }, text);
  }

  /** Chooses `paths` in "Import annotations"; resolves to the import review dialog. */
  async importFiles(paths) {
    const chooser = this.page.waitForEvent("filechooser");
    await this.button("Import annotations").click();
    await (await chooser).setFiles(paths);
    return this.page.getByRole("dialog");
  }

  /** Waits for a download that `action` starts; resolves to { name, bytes }. */
  async download(action) {
    const [download] = await Promise.all([this.page.waitForEvent("download"), action()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  }

  /** Exports in the format called `title` from "More exports" (`button` may name the whole-project one). */
  async exportAs(title) {
    await this.page.getByText("More exports").click();
    return this.download(() => this.button(title).click());
  }

  /** Opens the project menu and clicks `item`. */
  async projectMenu(item) {
    await this.page.locator(".project-menu summary").click();
    await this.page.locator(".project-menu").getByRole("button", { name: item, exact: true }).click();
  }

  /** Presses "Export JSON"; resolves to { name, json }. */
  async exportJson() {
    const [download] = await Promise.all([
      this.page.waitForEvent("download"),
      this.button("Export JSON").click(),
    ]);
    const path = await download.path();
    return { name: download.suggestedFilename(), json: JSON.parse(await readFile(path, "utf8")) };
  }

  /** Waits until the side panel shows the last change: it follows the article by a
   *  frame, and is aria-busy until then. */
  async sideShown() {
    await this.page.locator('aside.side[aria-busy="false"]').waitFor();
  }

  /** The label of the annotations list's selected row. */
  async selectedRowLabel() {
    await this.sideShown();
    return this.page.locator(".span-show[aria-pressed=true] .badge").textContent();
  }

  /** The items of the annotations list as [label, excerpt] pairs. */
  async listed() {
    await this.sideShown();
    const items = await this.annotations.all();
    return Promise.all(
      items.map(async (li) => [await li.locator(".badge").textContent(), await li.locator(".excerpt").textContent()]),
    );
  }
}

/**
 * The stored documents, each `{key, name, text, spans}`: the head's fields, with the
 * text and the spans of every chunk of the document (docs/STORAGE.md, "Document parts").
 */
export async function storedDocuments(page) {
  const [heads, texts, chunks] = await Promise.all(["docs", "texts", "spans"].map((s) => readStore(page, s)));
  const same = (a, b) => a[0] === b[0] && a[1] === b[1];
  return heads.map(([key, raw]) => {
    const head = JSON.parse(raw);
    const text = texts.find(([k]) => same(k, key))?.[1];
    const spans = chunks.filter(([k]) => same(k, key)).flatMap(([, c]) => JSON.parse(c).spans);
    return { key, ...head, text, spans };
  });
}

/** Every `[key, value]` of an IndexedDB store of the app's database. */
export function readStore(page, store) {
  return page.evaluate(async (store) => {
    const req = (r) => new Promise((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const db = await req(indexedDB.open("marginalia"));
    const s = db.transaction(store).objectStore(store);
    const [keys, values] = [await req(s.getAllKeys()), await req(s.getAll())];
    db.close();
    return keys.map((k, i) => [k, values[i]]);
  }, store);
}
