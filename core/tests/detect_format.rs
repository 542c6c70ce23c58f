//! Every export that can be imported is recognised from its content and reads back
//! without errors; files in no known format get a message that lists what is known.

mod common;

use common::*;
use marginalia_core::formats::{parse_any, ExportFormat, ImportFormat};
use marginalia_core::LabelSet;

#[test]
fn every_importable_export_is_recognised_and_reads_back() {
    let labels = LabelSet::default();
    let eds = [seed(), edge()];
    let input = input(&labels, &eds);
    let docs: Vec<_> = eds.iter().map(|e| e.document()).collect();
    let cases = [
        (ExportFormat::MarginaliaJson, ImportFormat::Marginalia, 1),
        (ExportFormat::MarginaliaJsonl, ImportFormat::Marginalia, 2),
        (ExportFormat::Spacy, ImportFormat::Spacy, 2),
        (ExportFormat::LabelStudio, ImportFormat::LabelStudio, 2),
        (ExportFormat::Doccano, ImportFormat::Doccano, 2),
        (ExportFormat::W3c, ImportFormat::W3c, 2),
    ];
    for (export, expected, count) in cases {
        let file = &export.export(&input, "project")[0];
        let (format, import) = parse_any(&file.name, &file.bytes, &docs);
        assert_eq!(format, Some(expected), "{}", file.name);
        assert_eq!(import.errors, [], "{}", file.name);
        assert_eq!(import.docs.len(), count, "{}", file.name);
        let spans: usize = import.docs.iter().map(|d| d.spans.len()).sum();
        let expected_spans: usize = eds.iter().take(count).map(|e| e.spans().len()).sum();
        assert_eq!(spans, expected_spans, "{}", file.name);
    }
}

#[test]
fn export_file_names_say_the_format() {
    let labels = LabelSet::default();
    let eds = [seed()];
    let input = input(&labels, &eds);
    let names: Vec<String> = ExportFormat::ALL
        .iter()
        .flat_map(|f| f.export(&input, "seed-article"))
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        [
            "seed-article.json",
            "seed-article.jsonl",
            "seed-article.spacy.jsonl",
            "seed-article.label-studio.json",
            "seed-article.doccano.jsonl",
            "seed-article.conll",
            "seed-article.brat.zip",
            "seed-article.jsonld",
            "seed-article.sentences.jsonl",
            "seed-article.sentences.csv",
        ]
    );
}

#[test]
fn plain_documents_and_text_files_are_recognised() {
    let jsonl = "{\"id\": \"a\", \"title\": \"A\", \"text\": \"One.\"}\n{\"text\": \"Two.\"}\n";
    let (format, import) = parse_any("docs.jsonl", jsonl.as_bytes(), &[]);
    assert_eq!(format, Some(ImportFormat::PlainJsonl));
    assert_eq!(import.docs.len(), 2);
    let (format, import) = parse_any("note.txt", "Tehran\r\n".as_bytes(), &[]);
    assert_eq!(format, Some(ImportFormat::Text));
    assert_eq!(import.docs[0].text, "Tehran\r\n");
}

#[test]
fn unknown_files_are_refused_with_what_is_known() {
    let (format, import) = parse_any("photo.png", b"\x89PNG\r\n\x1a\n\0\0", &[]);
    assert_eq!(format, None);
    assert!(
        import.errors[0].to_string().starts_with("photo.png: "),
        "{}",
        import.errors[0]
    );
    let (_, import) = parse_any("x.json", b"{\"hello\": 1}", &[]);
    let message = import.errors[0].to_string();
    assert!(
        message.contains("not in a format Marginalia knows") && message.contains("doccano JSONL"),
        "{message}"
    );
}
