#!/usr/bin/env python3
"""Builds gold.jsonl from annotations.txt and the corpus.

Run from the repository root: python3 core/tests/gold/build_gold.py
Offsets in gold.jsonl count Unicode code points (Python string indices).
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LABELS = {"F": "fact", "Q": "quote", "B": "boilerplate"}


def corpus():
    docs = {"seed-article": (ROOT / "corpus/seed-article.txt").read_text(encoding="utf-8")}
    with open(ROOT / "corpus/bbc-news.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            docs[row["id"]] = row["text"]
    return docs


def occurrences(text, needle, words=False):
    out, at = [], 0
    while True:
        i = text.find(needle, at)
        if i < 0:
            return out
        end = i + len(needle)
        bounded = (i == 0 or not text[i - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        )
        if bounded or not words:
            out.append((i, end))
        at = i + 1


def parse(path):
    docs, current = [], None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            rest = line[1:].strip().split()
            if len(rest) == 1:
                current = {"id": rest[0], "lines": []}
                docs.append(current)
            continue
        m = re.match(r"^([FQB])(?:@(\d+))?: (.*)$", line)
        if not m or current is None:
            sys.exit(f"line {n}: cannot read {line!r}")
        body, speaker = m.group(3), None
        if m.group(1) == "Q" and " || " in body:
            body, speaker = body.split(" || ", 1)
        current["lines"].append((n, m.group(1), int(m.group(2) or 1), body, speaker))
    return docs


def main():
    texts = corpus()
    out = []
    for doc in parse(HERE / "annotations.txt"):
        text = texts[doc["id"]]
        spans = []
        for n, letter, nth, body, speaker in doc["lines"]:
            found = occurrences(text, body)
            if len(found) < nth:
                sys.exit(f"line {n}: {body!r} occurs {len(found)} times in {doc['id']}")
            start, end = found[nth - 1]
            spans.append({"start": start, "end": end, "label": LABELS[letter], "text": body, "_speaker": speaker, "_line": n})
        quotes = [(s["start"], s["end"]) for s in spans if s["label"] == "quote"]
        for s in spans:
            speaker = s.pop("_speaker")
            line = s.pop("_line")
            if speaker is None:
                continue
            if " ~ " in speaker:
                # "name ~ context": the name where it occurs in that context.
                speaker, context = speaker.split(" ~ ", 1)
                at = text.find(context)
                inner = context.find(speaker)
                if at < 0 or inner < 0:
                    sys.exit(f"line {line}: context {context!r} not found")
                found = [(at + inner, at + inner + len(speaker))]
            else:
                inside = lambda r: any(q[0] <= r[0] and r[1] <= q[1] for q in quotes)
                found = [r for r in occurrences(text, speaker, words=True) if not inside(r)]
            if not found:
                sys.exit(f"line {line}: speaker {speaker!r} not found outside quotes")
            dist = lambda r: max(s["start"] - r[1], r[0] - s["end"], 0)
            best = min(found, key=lambda r: (dist(r), r[0]))
            s["speaker_start"], s["speaker_end"], s["speaker"] = best[0], best[1], speaker
        spans.sort(key=lambda s: (s["start"], -s["end"], s["label"]))
        out.append({"id": doc["id"], "text": text, "spans": spans})
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {}
    for row in out:
        for s in row["spans"]:
            counts[s["label"]] = counts.get(s["label"], 0) + 1
    print(f"{len(out)} documents, spans: {counts}")


if __name__ == "__main__":
    main()
