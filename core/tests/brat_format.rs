//! brat standoff: golden `.ann` and config files, the zip read back in Rust and in
//! Python's `zipfile`, every `T` line's fragments checked against the text in code
//! points, and `.ann` files read back with `parse_pair`.

mod common;

use common::*;
use marginalia_core::formats::{brat, Place};
use marginalia_core::{Document, Editor, Label, LabelId, LabelSet};
use proptest::prelude::*;

/// The members of a zip archive as (name, bytes), read from its central directory,
/// each checked against its CRC-32. Only what `brat::export` writes (stored members).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
    let end = bytes.len() - 22;
    assert_eq!(u32_at(end), 0x0605_4b50, "end of central directory");
    let (count, mut at) = (u16_at(end + 10), u32_at(end + 16));
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(at), 0x0201_4b50, "central directory header");
        assert_eq!(u16_at(at + 10), 0, "stored");
        let crc = u32_at(at + 16) as u32;
        let size = u32_at(at + 24);
        let (name_len, extra_len, comment_len) =
            (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let local = u32_at(at + 42);
        let name = std::str::from_utf8(&bytes[at + 46..at + 46 + name_len])
            .unwrap()
            .to_owned();
        assert_eq!(u32_at(local), 0x0403_4b50, "local header");
        let data_at = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let data = bytes[data_at..data_at + size].to_vec();
        assert_eq!(crc32fast::hash(&data), crc, "CRC of {name}");
        out.push((name, data));
        at += 46 + name_len + extra_len + comment_len;
    }
    out
}

/// One `T` line: (id, type, fragments in code points, text).
type TLine = (String, String, Vec<(usize, usize)>, String);

fn t_lines(ann: &str) -> Vec<TLine> {
    assert!(ann.is_empty() || ann.ends_with('\n'));
    ann.lines()
        .map(|line| {
            let parts: Vec<&str> = line.splitn(3, '\t').collect();
            assert_eq!(parts.len(), 3, "{line:?}");
            let (ty, offsets) = parts[1].split_once(' ').unwrap();
            let frags = offsets
                .split(';')
                .map(|f| {
                    let (a, b) = f.split_once(' ').unwrap();
                    (a.parse().unwrap(), b.parse().unwrap())
                })
                .collect();
            (
                parts[0].to_owned(),
                ty.to_owned(),
                frags,
                parts[2].to_owned(),
            )
        })
        .collect()
}

/// Checks a `.ann` against its text as brat does, counting code points: each line's
/// text is its fragments' texts joined by a space; fragments are non-empty, in order,
/// hold no line break, and are separated by line breaks only. Returns the number of
/// `T` lines.
fn check_ann(text: &str, ann: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let lines = t_lines(ann);
    for (n, (id, _, frags, quoted)) in lines.iter().enumerate() {
        assert_eq!(id, &format!("T{}", n + 1));
        let texts: Vec<String> = frags.iter().map(|&(a, b)| slice(a, b)).collect();
        assert_eq!(&texts.join(" "), quoted, "{id}");
        for (k, &(a, b)) in frags.iter().enumerate() {
            assert!(a < b && b <= chars.len(), "{id} {a} {b}");
            assert!(!chars[a..b].iter().any(|&c| brat::is_line_break(c)), "{id}");
            if k > 0 {
                let gap = &chars[frags[k - 1].1..a];
                assert!(!gap.is_empty() && gap.iter().all(|&c| brat::is_line_break(c)));
            }
        }
    }
    lines.len()
}

#[test]
fn golden_files() {
    let labels = LabelSet::default();
    let eds = [seed(), edge()];
    for ed in &eds {
        let ann = brat::ann(view(ed));
        assert_eq!(check_ann(ed.document().text(), &ann), ed.spans().len());
        golden(
            &format!("brat/{}.ann", ed.document().name()),
            ann.as_bytes(),
        );
    }
    let file = brat::export(&input(&labels, &eds), "project");
    assert_eq!(file.name, "project.zip");
    assert_eq!(file.mime, "application/zip");
    for (name, bytes) in unzip(&file.bytes) {
        if name.ends_with(".conf") {
            golden(&format!("brat/{}", name.replace("project/", "")), &bytes);
        }
    }
}

#[test]
fn a_span_across_lines_is_one_fragment_per_line() {
    let ed = annotate(
        "crlf",
        "One line.\r\n\r\nTwo lines.\nThree\u{2028}four.",
        &[("quote", "One", "Two lines."), ("fact", "line", "four")],
    );
    assert_eq!(
        brat::ann(view(&ed)),
        "T1\tquote 0 9;13 23\tOne line. Two lines.\n\
         T2\tfact 4 9;13 23;24 29;30 34\tline. Two lines. Three four\n"
    );
}

#[test]
fn zip_holds_every_document_with_matching_offsets() {
    let labels = LabelSet::default();
    let eds = [
        seed(),
        edge(),
        seed(),
        annotate("Seed-Article", "Only text", &[]),
    ];
    let input = input(&labels, &eds);
    let file = brat::export(&input, "my project: v2");
    assert_eq!(file.name, "my project_ v2.zip");
    assert_eq!(file.bytes, brat::export(&input, "my project: v2").bytes);
    let members = unzip(&file.bytes);
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "my project_ v2/annotation.conf",
            "my project_ v2/visual.conf",
            "my project_ v2/seed-article.txt",
            "my project_ v2/seed-article.ann",
            "my project_ v2/unicode-edge.txt",
            "my project_ v2/unicode-edge.ann",
            "my project_ v2/seed-article-2.txt",
            "my project_ v2/seed-article-2.ann",
            "my project_ v2/Seed-Article-3.txt",
            "my project_ v2/Seed-Article-3.ann",
        ]
    );
    for (k, ed) in eds.iter().enumerate() {
        let (txt, ann) = (&members[2 + 2 * k].1, &members[3 + 2 * k].1);
        assert_eq!(txt.as_slice(), ed.document().text().as_bytes());
        let ann = std::str::from_utf8(ann).unwrap();
        assert_eq!(ann, brat::ann(view(ed)));
        assert_eq!(check_ann(ed.document().text(), ann), ed.spans().len());
    }
    // One document is a zip too.
    let one = brat::export(&common::input(&labels, &eds[1..2]), "unicode-edge");
    let names: Vec<String> = unzip(&one.bytes).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "unicode-edge/annotation.conf",
            "unicode-edge/visual.conf",
            "unicode-edge/unicode-edge.txt",
            "unicode-edge/unicode-edge.ann"
        ]
    );
}

/// Python's `zipfile` opens the export; the `.ann` files are read as brat reads them
/// (`codecs` `readlines`, which splits at every `str.splitlines` boundary) and each `T`
/// line is checked as brat's `_parse_textbound_annotation` checks it.
#[test]
fn python_zipfile_reads_it_as_brat_would() {
    let labels = LabelSet::default();
    let eds = [
        seed(),
        edge(),
        annotate(
            "seps",
            "a\u{2028}b\u{85}c\u{c}d\u{1e}e",
            &[("fact", "a", "e")],
        ),
    ];
    let file = brat::export(&input(&labels, &eds), "project");
    let dir = std::env::temp_dir().join(format!("marginalia-brat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("project.zip");
    std::fs::write(&path, &file.bytes).unwrap();
    let script = r#"
import sys, zipfile, io, codecs
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    names = z.namelist()
    checked = 0
    for name in names:
        if not name.endswith('.ann'):
            continue
        text = z.read(name[:-4] + '.txt').decode('utf-8')
        lines = codecs.getreader('utf-8')(io.BytesIO(z.read(name))).readlines()
        for line in lines:
            ident, data, tail = line.split('\t', 2)
            typ, rest = data.split(' ', 1)
            spans = [tuple(map(int, s.split(' '))) for s in rest.split(';')]
            ref = ' '.join(text[a:b] for a, b in spans)
            assert tail == ref + '\n', (name, line, ref)
            for k in range(1, len(spans)):
                assert spans[k - 1][1] < spans[k][0]
            checked += 1
    conf = z.read('project/annotation.conf').decode('utf-8')
    print(len(names), checked, conf.split('\n')[1:4])
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(out) = out else {
        eprintln!("python3 is not installed: skipping the zipfile check");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spans: usize = eds.iter().map(|e| e.spans().len()).sum();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("8 {spans} ['fact', 'quote', 'boilerplate']\n")
    );
}

#[test]
fn labels_become_brat_types_and_names() {
    let label = |id: &str, name: &str, color: &str| Label {
        id: LabelId(id.into()),
        name: name.into(),
        key: String::new(),
        color: color.into(),
        description: String::new(),
    };
    let labels = LabelSet(vec![
        label("my label", "My | <label>", "#AbC"),
        label("my_label", "# hidden", "rgb(1,2,3)"),
        label("Ähnlich", "Ähnlich", "#112233"),
        label("---", "---", ""),
    ]);
    let mut ed = Editor::new(Document::new("d", "one two"), labels.clone());
    ed.tag(&LabelId("my_label".into()), 0..3, NOW).unwrap();
    ed.tag(&LabelId("---".into()), 4..7, NOW).unwrap();
    let eds = [ed];
    let members = unzip(&brat::export(&input(&labels, &eds), "p").bytes);
    let text = |i: usize| String::from_utf8(members[i].1.clone()).unwrap();
    assert_eq!(
        text(0),
        "[entities]\nmy_label\nmy_label-2\n_hnlich\nlabel\n\n[relations]\n\
         # Marginalia's spans may nest and overlap: allow any overlap between entities.\n\
         <OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\
         # A quote's speaker, when the speaker is a span of the document.\n\
         Speaker\tArg1:<ENTITY>, Arg2:<ENTITY>\n\n[events]\n\n[attributes]\n"
    );
    assert_eq!(
        text(1),
        "[labels]\nmy_label | My    label\n_hnlich | Ähnlich\n\n[drawing]\n\
         my_label\tbgColor:#aabbcc\n_hnlich\tbgColor:#112233\n\
         SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n\
         ARC_DEFAULT\tcolor:black\nATTRIBUTE_DEFAULT\tglyph:*\n"
    );
    assert_eq!(text(3), "T1\tmy_label-2 0 3\tone\nT2\tlabel 4 7\ttwo\n");
}

#[test]
fn pairs_read_back_exactly() {
    for ed in [seed(), edge()] {
        let ann = brat::ann(view(&ed));
        let import = brat::parse_pair(
            &format!("{}.ann", ed.document().name()),
            ed.document().text(),
            &ann,
        );
        assert_eq!(import.errors, []);
        assert_eq!(import.docs.len(), 1);
        let doc = &import.docs[0];
        assert_eq!(doc.name, ed.document().name());
        assert_eq!(doc.text, ed.document().text());
        let spans: Vec<_> = doc
            .spans
            .iter()
            .map(|s| {
                (
                    s.label.clone(),
                    s.start,
                    s.end,
                    doc.text[s.start..s.end].to_owned(),
                )
            })
            .collect();
        assert_eq!(spans, span_tuples(&ed));
    }
}

#[test]
fn errors_name_the_line_annotation_and_problem() {
    let text = "Tehran \u{2014} talks \u{201c}within days\u{201d}. \u{1f600}\r\nNext line.";
    let ann = "T1\tfact 0 6\tTehran\n\
               T2\tquote 15 28\t\u{201c}within days\u{201d}\n\
               T3\tfact 0 9999\tTehran\n\
               T4\tfact 0 6\tTehrun\n\
               T5\tfact 0 6;15 20\tTehran talks\n\
               T6\tquote\tno offsets\n\
               T1\tfact 0 6\tTehran\n\
               T7\tfact 1 x\tehran\n\
               #1\tAnnotatorNotes T1\tignored\n\
               R1\tRel Arg1:T1 Arg2:T2\n\
               no tab here\n\
               T8\tfact 7 8;33 37\t\u{2014} Next\n\
               T9\tfact 6 6\t\n\
               T10\tfact 30 35;33 38\n\
               T11\tfact 30 31;33 34\t\u{1f600} N\n";
    let import = brat::parse_pair("dir/article.ann", text, ann);
    let messages: Vec<String> = import.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "dir/article.ann, line 3, field \"T3 end\": offset 9999 is past the end of the text (43 code points)",
            "dir/article.ann, line 4, field \"T4\": the annotation's text \"Tehrun\" is not the document's text at its offsets (\"Tehran\")",
            "dir/article.ann, line 5, field \"T5\": the annotation's text \"Tehran talks\" is not the document's text at its offsets (\"Tehran “with\")",
            "dir/article.ann, line 6, field \"T6\": \"quote\" has no offsets: expected \"TYPE START END\"",
            "dir/article.ann, line 7, field \"T1\": is also the id of line 1: annotation ids must be unique",
            "dir/article.ann, line 8, field \"T7\": the offsets \"1 x\" are not two whole numbers \"START END\"",
            "dir/article.ann, line 11: not a brat annotation: there is no tab after the annotation id",
            "dir/article.ann, line 12, field \"T8\": has fragments separated by \" talks “within days”. 😀\\r\\n\", not only by line breaks: a Marginalia span is one continuous stretch of text",
            "dir/article.ann, line 13, field \"T9 start\": start 6 is not before end 6",
            "dir/article.ann, line 14, field \"T10\": has fragments that overlap",
        ],
    );
    assert_eq!(import.errors[0].place, Place::Line(3));
    let doc = &import.docs[0];
    assert_eq!(doc.name, "article");
    let spans: Vec<_> = doc
        .spans
        .iter()
        .map(|s| (s.label.as_str(), &text[s.start..s.end]))
        .collect();
    assert_eq!(
        spans,
        [
            ("fact", "Tehran"),
            ("quote", "\u{201c}within days\u{201d}"),
            ("fact", "\u{1f600}\r\nN"),
        ]
    );
}

proptest! {
    #[test]
    fn every_fragment_slices_to_its_text_and_reads_back(ed in arb_editor()) {
        let ann = brat::ann(view(&ed));
        prop_assert_eq!(check_ann(ed.document().text(), &ann), ed.spans().len());
        let import = brat::parse_pair("random.ann", ed.document().text(), &ann);
        prop_assert_eq!(&import.errors, &[]);
        let back: Vec<_> = import.docs[0]
            .spans
            .iter()
            .map(|s| (s.label.clone(), s.start, s.end))
            .collect();
        let expected: Vec<_> = ed.spans().iter().map(|s| (s.label.0.clone(), s.start, s.end)).collect();
        prop_assert_eq!(back, expected);
    }
}

#[test]
fn notes_and_speakers_become_annotator_notes_and_relations() {
    use marginalia_core::{SpanDetails, Speaker};
    let text = "Peskov said: \"We are ready.\"\nAnd more.";
    let mut ed = Editor::new(Document::new("n", text), LabelSet::default());
    let peskov = ed.tag(&LabelId("fact".into()), 0..6, NOW).unwrap();
    let quote = ed.tag(&LabelId("quote".into()), 13..28, NOW).unwrap();
    let tail = ed.tag(&LabelId("fact".into()), 29..38, NOW).unwrap();
    ed.set_details(
        &quote,
        SpanDetails {
            note: "two\nlines".into(),
            speaker: Some(Speaker::Span(peskov)),
        },
        NOW,
    )
    .unwrap();
    ed.set_details(
        &tail,
        SpanDetails {
            note: String::new(),
            speaker: Some(Speaker::Text("nobody".into())),
        },
        NOW,
    )
    .unwrap();
    let ann = brat::ann(marginalia_core::formats::DocView {
        doc: ed.document(),
        spans: ed.spans(),
    });
    assert_eq!(
        ann,
        "T1\tfact 0 6\tPeskov\nT2\tquote 13 28\t\"We are ready.\"\nT3\tfact 29 38\tAnd more.\n\
         R1\tSpeaker Arg1:T2 Arg2:T1\n#1\tAnnotatorNotes T2\ttwo lines\n#2\tAnnotatorNotes T3\tspeaker: nobody\n"
    );
}
