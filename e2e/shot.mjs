// Takes a screenshot of the app: node e2e/shot.mjs [out.png] [width] [height]
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./browser.mjs";

const [out = "screenshot.png", w = "1366", h = "800"] = process.argv.slice(2);
const server = await serve(new URL("../dist/", import.meta.url).pathname);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(server.url);
await page.locator("article .para").first().waitFor();
await page.screenshot({ path: out });
await browser.close();
await server.close();
