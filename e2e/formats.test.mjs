// End-to-end: import a doccano file and a Label Studio file through "Import
// annotations", export spaCy JSONL and brat from "More exports", and check the downloads
// as a dataset builder would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "./server.mjs";
import { Marginalia, launch, readCorpus } from "./marginalia.mjs";

const DIST = new URL("../dist/", import.meta.url).pathname;
let server, browser, seed, edge, dir;

before(async () => {
  server = await serve(DIST);
  browser = await launch();
  seed = await readCorpus("seed-article.txt");
  edge = await readCorpus("unicode-edge.txt");
  dir = await mkdtemp(join(tmpdir(), "marginalia-formats-"));
});

after(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const cp = (text) => Array.from(text);
/** Code-point offsets of `needle` in `text`. */
function cpRange(text, needle) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const start = cp(text.slice(0, at)).length;
  return [start, start + cp(needle).length];
}

/** The members of a STORED (uncompressed) zip, read from its central directory. */
function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, "a zip file");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    assert.equal(method, 0, "stored");
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    files[name] = buf.subarray(data, data + size);
    at += 46 + nameLen + extra + comment;
  }
  return files;
}

test("import doccano (UTF-16 offsets, a new label) and export spaCy JSONL and brat", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  // doccano counts UTF-16 units, as JavaScript's indexOf does.
  const u16 = (needle) => [edge.indexOf(needle), edge.indexOf(needle) + needle.length];
  const line = {
    text: edge,
    label: [
      [...u16("Families gathered outside."), "fact"],
      [...u16("Esma\u0306il Baghaei"), "PERSON"],
      [...u16("We are ready."), "quote"],
    ],
  };
  const file = join(dir, "edge.doccano.jsonl");
  await writeFile(file, JSON.stringify(line) + "\n");
  const dialog = await app.importFiles([file]);
  assert.match(await dialog.textContent(), /Found 1 document\(s\) with 3 annotation\(s\)\./);
  assert.match(await dialog.textContent(), /doccano JSONL/);
  assert.ok(await dialog.getByRole("checkbox", { name: /Add “PERSON”/ }).isChecked());
  await dialog.getByRole("button", { name: "Add the document to the project" }).click();
  // Added to the project as a new document, and opened.
  await app.page.getByText(/^Opened “/).waitFor();
  assert.equal(await app.documentRows.count(), 2);
  assert.deepEqual(await app.paragraphs(), edge.split("\r\n"));
  const rows = await app.listed();
  assert.deepEqual(rows.map((r) => r[1]), ["Esma\u0306il Baghaei", "We are ready.", "Families gathered outside."]);
  assert.deepEqual(rows.map((r) => r[0]), ["PERSON", "Quote", "Fact"]);
  // The new label got a button and a key.
  await app.button("PERSON").waitFor();

  // spaCy / Prodigy JSONL: code points, tokens aligned with every span.
  const spacy = await app.exportAs("spaCy / Prodigy JSONL");
  assert.match(spacy.name, /\.spacy\.jsonl$/);
  const records = spacy.bytes.toString("utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(records.length, 1);
  const rec = records[0];
  assert.equal(rec.text, edge);
  const chars = cp(edge);
  for (const s of rec.spans) {
    const text = chars.slice(s.start, s.end).join("");
    assert.ok(["Esma\u0306il Baghaei", "We are ready.", "Families gathered outside."].includes(text), text);
    assert.equal(rec.tokens[s.token_start].start, s.start);
    assert.equal(rec.tokens[s.token_end].end, s.end, "token_end is inclusive");
  }
  assert.deepEqual(
    rec.spans.map((s) => [s.label, ...cpRange(edge, chars.slice(s.start, s.end).join(""))]),
    rec.spans.map((s) => [s.label, s.start, s.end]),
  );
  for (const t of rec.tokens) assert.equal(chars.slice(t.start, t.end).join(""), t.text);

  // brat: a zip with the text byte for byte and T lines whose fragments slice to it.
  const brat = await app.exportAs("brat standoff (.zip)");
  assert.match(brat.name, /\.brat\.zip$/);
  const files = unzip(brat.bytes);
  const txtName = Object.keys(files).find((n) => n.endsWith(".txt"));
  const annName = Object.keys(files).find((n) => n.endsWith(".ann"));
  assert.ok(Object.keys(files).some((n) => n.endsWith("annotation.conf")));
  assert.equal(files[txtName].toString("utf8"), edge);
  const tLines = files[annName].toString("utf8").split("\n").filter((l) => l.startsWith("T"));
  assert.equal(tLines.length, 3);
  for (const l of tLines) {
    const [, typeAndOffsets, text] = l.split("\t");
    const frags = typeAndOffsets.split(" ").slice(1).join(" ").split(";").map((f) => f.split(" ").map(Number));
    assert.equal(frags.map(([a, b]) => chars.slice(a, b).join("")).join(" "), text);
  }
  assert.deepEqual(app.errors, []);
  await context.close();
});

test("import Label Studio with a bad task: the problem is named, the valid task imports", async () => {
  const context = await browser.newContext();
  const app = await Marginalia.open(context, server.url);
  const [qs, qe] = cpRange(seed, '"Such a visit is being prepared, preparations are underway,"');
  const [cs, ce] = cpRange(seed, "Editing by Andrew Osborn");
  const result = (id, start, end, text, label) => ({
    id, from_name: "label", to_name: "text", type: "labels",
    value: { start, end, text, labels: [label] },
  });
  const tasks = [
    { id: 1, data: { text: seed }, annotations: [{ id: 1, result: [result("a", qs, qe, seed.slice(seed.indexOf('"Such'), seed.indexOf('"Such') + 60), "quote"), result("b", cs, ce, "Editing by Andrew Osborn", "boilerplate")] }] },
    { id: 2, data: { text: "Short text." }, annotations: [{ id: 2, result: [result("c", 3, 99, "nope", "fact")] }] },
  ];
  const file = join(dir, "seed.label-studio.json");
  await writeFile(file, JSON.stringify(tasks));
  const dialog = await app.importFiles([file]);
  assert.match(await dialog.textContent(), /Found 1 document\(s\) with 2 annotation\(s\) and 1 problem\(s\)/);
  const problem = await dialog.getByRole("list", { name: "Import problems" }).textContent();
  assert.match(problem, /seed\.label-studio\.json, record 2, field ".*value\.end": offset 99 is past the end of the text \(11 code points\)/);
  await dialog.getByRole("button", { name: "Add the valid document to the project" }).click();
  await app.page.getByText(/^Opened “/).waitFor();
  assert.deepEqual((await app.listed()).map((r) => r[0]), ["Quote", "Boilerplate"]);

  // "Import nothing" leaves everything as it is.
  const before = await app.listed();
  const dialog2 = await app.importFiles([file]);
  await dialog2.getByRole("button", { name: "Import nothing" }).click();
  assert.deepEqual(await app.listed(), before);
  // An unreadable file: a message naming it, and nothing to import.
  const bad = join(dir, "notes.json");
  await writeFile(bad, '{"hello": 1}');
  const dialog3 = await app.importFiles([bad]);
  assert.match(await dialog3.textContent(), /notes\.json: its records are not in a format Marginalia knows/);
  await dialog3.getByRole("button", { name: "Close" }).click();
  assert.deepEqual(await app.listed(), before);
  await context.close();
});
