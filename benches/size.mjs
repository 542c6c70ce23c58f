// The shipped size: the wasm and the JS glue a browser downloads to run the app, raw and
// gzip (level 9). The performance benchmark prints it; run alone, it is CI's size guard:
//
//   node benches/size.mjs [DIST] [--budget BYTES]
//
// With --budget, it fails when the gzip total is over BYTES, so the app cannot grow
// unnoticed. The budget is set in scripts/test.sh; raise it only in a commit that says
// what the bytes bought (docs/PERFORMANCE.md, "Size").
import { readFile, readdir } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The shipped files of the build in `dist`: `{ wasm: [raw, gzip], js: [raw, gzip], total }`. */
export async function shipped(dist) {
  const files = await readdir(dist).catch(() => {
    throw new Error(`no build at ${dist}: build the app first (trunk build --release)`);
  });
  const size = async (pick, what) => {
    const name = files.find(pick);
    if (!name) throw new Error(`no ${what} in ${dist}: build the app first (trunk build --release)`);
    const bytes = await readFile(join(dist, name));
    return [bytes.length, gzipSync(bytes, { level: 9 }).length];
  };
  const wasm = await size((f) => f.endsWith(".wasm"), "wasm file");
  const js = await size((f) => /^marginalia-.*\.js$/.test(f), "marginalia-*.js file");
  return { wasm, js, total: wasm[1] + js[1] };
}

const n = (v) => v.toLocaleString("en-US");

/** One line: each file's size and the gzip total. */
export const describe = ({ wasm, js, total }) =>
  `shipped: wasm ${n(wasm[0])} B (${n(wasm[1])} B gzip), JS ${n(js[0])} B (${n(js[1])} B gzip); total ${n(total)} B gzip`;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--budget");
  const budget = at >= 0 ? Number(args[at + 1]) : null;
  if (at >= 0 && !(budget > 0)) throw new Error(`--budget wants a number of bytes, got ${args[at + 1]}`);
  const dist = args.find((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1)) ?? new URL("../dist/", import.meta.url).pathname;
  const size = await shipped(dist);
  console.log(describe(size));
  if (budget !== null) {
    if (size.total > budget) {
      console.error(
        `size budget exceeded: ${n(size.total)} B gzip against a budget of ${n(budget)} B (${n(size.total - budget)} B over).\n` +
          "Find what grew (twiggy top on a build with data-keep-debug), or raise the budget in scripts/test.sh in a commit that says why.",
      );
      process.exit(1);
    }
    console.log(`within the budget of ${n(budget)} B gzip (${n(budget - size.total)} B to spare)`);
  }
}
