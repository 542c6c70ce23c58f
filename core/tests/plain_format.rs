//! Plain documents: JSONL records and .txt files, exact texts, names, and errors that
//! name the line, the field and the problem; the BBC corpus imports whole.

use marginalia_core::formats::{plain, Place};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn messages(import: &marginalia_core::formats::Import) -> Vec<String> {
    import.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn records_keep_text_exactly_and_get_names() {
    let file = concat!(
        "{\"id\": \"a1\", \"title\": \"  A title \", \"text\": \"  Line one\\r\\nline two\\u2028\\ud83d\\ude00 \", \"meta\": {\"k\": [1]}}\n",
        "\n",
        "{\"id\": 7, \"text\": \"Seven\"}\r\n",
        "{\"text\": \"\\n\\n  First real line  \\nsecond\", \"id\": null, \"title\": \"\", \"extra\": true}\n",
        "{\"text\": \"x\", \"id\": 7.5, \"meta\": null}",
    );
    let import = plain::parse_jsonl("docs.jsonl", &format!("\u{feff}{file}"));
    assert_eq!(import.errors, []);
    let docs: Vec<_> = import
        .docs
        .iter()
        .map(|d| {
            (
                d.id.as_deref(),
                d.name.as_str(),
                d.text.as_str(),
                d.meta.clone(),
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            (
                Some("a1"),
                "A title",
                "  Line one\r\nline two\u{2028}\u{1f600} ",
                Some(json!({"k": [1]}))
            ),
            (Some("7"), "7", "Seven", None),
            (
                None,
                "First real line",
                "\n\n  First real line  \nsecond",
                None
            ),
            (Some("7.5"), "7.5", "x", None),
        ]
    );
    assert!(import.docs.iter().all(|d| d.spans.is_empty()));
}

#[test]
fn errors_name_the_line_field_and_problem() {
    let file = [
        r#"{"id": "a", "text": "fine"}"#,
        r#"{"id": "b", "text": "also fine""#,
        r#"["text", "in an array"]"#,
        r#"{"id": "c"}"#,
        r#"{"id": "d", "text": ""}"#,
        r#"{"id": "e", "text": " \n\t"}"#,
        r#"{"id": "f", "text": 12}"#,
        r#"{"id": "a", "text": "again"}"#,
        r#"{"id": ["g"], "title": 3, "meta": "m", "text": null}"#,
        r#""just a string""#,
    ]
    .join("\n");
    let import = plain::parse_jsonl("in.jsonl", &file);
    assert_eq!(import.docs.len(), 1, "only line 1 is valid");
    assert_eq!(import.docs[0].id.as_deref(), Some("a"));
    let m = messages(&import);
    assert!(
        m[0]
            == "in.jsonl, line 2: not valid JSON (EOF while parsing an object at line 1 column 31)",
        "{m:?}"
    );
    assert_eq!(
        m[1..],
        [
            "in.jsonl, line 3: the line is an array, not a JSON object with a \"text\" field",
            "in.jsonl, line 4, field \"text\": is missing",
            "in.jsonl, line 5, field \"text\": is empty: there is no text to load",
            "in.jsonl, line 6, field \"text\": holds only whitespace: there is no text to load",
            "in.jsonl, line 7, field \"text\": is a number, not a string",
            "in.jsonl, line 8, field \"id\": \"a\" is also the id of line 1: ids must be unique",
            "in.jsonl, line 9, field \"text\": is null, not a string",
            "in.jsonl, line 9, field \"id\": is an array, not a string or a number",
            "in.jsonl, line 9, field \"title\": is a number, not a string",
            "in.jsonl, line 9, field \"meta\": is a string, not a JSON object",
            "in.jsonl, line 10: the line is a string, not a JSON object with a \"text\" field",
        ]
    );
    assert_eq!(import.errors[1].place, Place::Line(3));
    assert_eq!(import.errors[2].field.as_deref(), Some("text"));

    let empty = plain::parse_jsonl("e.jsonl", "\n  \n");
    assert_eq!(messages(&empty), ["e.jsonl: the file holds no documents"]);
    assert!(empty.docs.is_empty());
}

#[test]
fn txt_files_are_read_exactly_or_refused_with_the_reason() {
    let text = "\u{feff}Headline\r\n\r\nBody \u{1f600}\ttext\n";
    let import = plain::parse_txt("C:\\news\\story.final.txt", text.as_bytes());
    assert_eq!(import.errors, []);
    let doc = &import.docs[0];
    assert_eq!(
        (doc.id.as_deref(), doc.name.as_str(), doc.text.as_str()),
        (None, "story.final", text)
    );
    assert!(doc.spans.is_empty() && doc.meta.is_none());

    let refused = |bytes: &[u8]| {
        let import = plain::parse_txt("f.txt", bytes);
        assert!(import.docs.is_empty());
        messages(&import).join("\n")
    };
    assert_eq!(
        refused(b""),
        "f.txt: the file is empty: there is no text to load"
    );
    assert_eq!(
        refused(b" \r\n\t"),
        "f.txt: the file holds only whitespace: there is no text to load"
    );
    assert_eq!(
        refused(b"\xff\xfeh\0i\0"),
        "f.txt: the file is UTF-16 text: save it as UTF-8 and open it again"
    );
    assert_eq!(
        refused(b"ok\nstill ok\nbad \xe9 here"),
        "f.txt, line 3: byte 16 of the file is not valid UTF-8: save it as UTF-8 and open it again"
    );
    assert_eq!(
        refused(b"PK\x03\x04\0\0"),
        "f.txt: the file looks like a binary file (it contains NUL bytes), not text"
    );
}

/// The 1,198 BBC articles (MIT licence, `corpus/bbc-news.LICENSE`) import with no
/// error, each text equal to its JSON string; the texts' SHA-256 (each followed by a
/// NUL) was computed with Python's `json` module.
#[test]
fn bbc_corpus_imports_whole() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/bbc-news.jsonl");
    let input = std::fs::read_to_string(path).unwrap();
    let import = plain::parse_jsonl("bbc-news.jsonl", &input);
    assert_eq!(import.errors, []);
    assert_eq!(import.docs.len(), 1198);
    let mut sha = Sha256::new();
    for (line, doc) in input.lines().zip(&import.docs) {
        let record: Value = serde_json::from_str(line).unwrap();
        assert_eq!(doc.text, record["text"].as_str().unwrap());
        assert_eq!(doc.id.as_deref(), record["id"].as_str());
        assert_eq!(doc.name, record["title"].as_str().unwrap().trim());
        assert_eq!(doc.meta.as_ref(), Some(&record["meta"]));
        sha.update(doc.text.as_bytes());
        sha.update([0]);
    }
    let hex: String = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "83460f3a07ebfd378eee641056f10e6e4faa3d15c01a546db0938bd3aa239f24"
    );
    let chars: usize = import.docs.iter().map(|d| d.text.chars().count()).sum();
    assert_eq!(chars, 2_702_890);
}
