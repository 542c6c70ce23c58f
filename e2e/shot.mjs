// Makes the README screenshot from the release build (dist/): the sample article with a
// few spans, nested and overlapping.   node e2e/shot.mjs [out.png] [width] [height]
import { Marginalia, launch } from "./marginalia.mjs";
import { serve } from "./server.mjs";

const [out = "docs/screenshot.png", w = "1366", h = "768"] = process.argv.slice(2);
const server = await serve(new URL("../dist/", import.meta.url).pathname);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: +w, height: +h } });
const app = await Marginalia.open(context, server.url);
const QUOTE = '"Such a visit is being prepared, preparations are underway,"';
const tag = async (key, from, to) => {
  await app.dragSelect(from, to);
  await app.page.keyboard.press(key);
};
await tag("3", "Iranian President Masoud Pezeshkian, Reuters/Maxim Shemetov");
await tag("1", "Peskov said it was unclear", "if necessary.");
await tag("2", QUOTE, QUOTE);
await tag("1", QUOTE, "about the matter.");
await tag("2", "\"in the near future\"");
await app.annotations.nth(2).getByRole("button").first().click();
// Saved (a quiet moment after the last change): the status line and the document's row
// as they settle.
await app.saved();
await app.page.evaluate(() => {
  window.scrollTo(0, 150);
  document.querySelector(".side").scrollTop = 0;
});
await app.page.screenshot({ path: out });
await browser.close();
await server.close();
