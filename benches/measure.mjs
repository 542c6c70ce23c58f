// What the benchmarks share: a Chromium that measures memory at once, and the page's
// memory as the browser reports it plus the app's wasm memory, which that report omits.
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../e2e/browser.mjs";

/** Headless Chromium that answers measureUserAgentSpecificMemory() at once, rather
 *  than at its next convenient moment. */
export function launchMeasuring() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, "--enable-blink-features=ForceEagerMeasureMemory"],
  });
}

/** Keeps a handle on the wasm memory of pages in `context`, for `memoryOf`. */
export function keepWasmMemory(context) {
  return context.addInitScript(() => {
    const keep = (result) => {
      const exports = (result.instance ?? result).exports;
      if (exports?.memory instanceof WebAssembly.Memory) window.__wasmMemory = exports.memory;
      return result;
    };
    for (const name of ["instantiate", "instantiateStreaming"]) {
      const original = WebAssembly[name];
      WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
    }
  });
}

/** The page's memory in bytes: `page` (JS heap, DOM) and `wasm` (linear memory). The
 *  page must be served cross-origin isolated (serve(root, { isolated: true })). */
export function memoryOf(page) {
  return page.evaluate(async () => {
    const m = await performance.measureUserAgentSpecificMemory();
    return { page: m.bytes, wasm: window.__wasmMemory?.buffer.byteLength ?? NaN };
  });
}
