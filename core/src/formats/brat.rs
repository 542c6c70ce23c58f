//! brat standoff (<https://brat.nlplab.org/standoff.html>): each document is a `.txt`
//! file holding its text byte for byte and a `.ann` file with one `T` line per span,
//! offsets counted in code points (brat is Python and counts characters). An export is
//! one `.zip` holding a brat collection: a folder with `annotation.conf` (an entity type
//! per label, and overlaps allowed), `visual.conf` (label names and colours) and a
//! `.txt`/`.ann` pair per document. See `docs/formats/brat.md`.
//!
//! A `.ann` line cannot hold a line break, so a span that crosses one is written as a
//! discontinuous annotation with a fragment per line: fragments leave out every
//! character at which Python's `str.splitlines` breaks a line ([`LINE_BREAKS`]; brat
//! reads `.ann` files with it), and empty fragments are dropped. [`parse_pair`] joins
//! such fragments back into one span.

mod zip;

use super::{resolve, DocView, ExportInput, FieldError, Import, ImportedDoc, ImportedSpan};
use super::{OutputFile, Place};
use crate::offsets::Unit;
use crate::{Document, LabelSet};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;
use std::ops::Range;

/// The characters at which Python's `str.splitlines` (and so brat, which reads `.ann`
/// files with `codecs`' `readlines`) ends a line: LF, VT, FF, CR, the file, group and
/// record separators, NEL, and the Unicode line and paragraph separators. A `.ann`
/// line must hold none of them.
pub const LINE_BREAKS: [char; 10] = [
    '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// Whether `c` ends a line for brat (one of [`LINE_BREAKS`]).
pub fn is_line_break(c: char) -> bool {
    LINE_BREAKS.contains(&c)
}

/// The `.ann` file of one document: a `T` line per span, in document order, numbered
/// from `T1`. Entity types are the label ids in brat's storage form (see
/// [`entity_types`]), here computed from this document's spans alone.
pub fn ann(view: DocView<'_>) -> String {
    let types = entity_types(view.spans.iter().map(|s| s.label.as_str()));
    write_ann(view, &types)
}

/// The `.zip` of a brat collection: a folder named after `name` holding
/// `annotation.conf`, `visual.conf`, and `<document>.txt` and `<document>.ann` for
/// each document (names made unique by `-2`, `-3`, ...).
pub fn export(input: &ExportInput<'_>, name: &str) -> OutputFile {
    let zip_name = crate::input::file_name(name, "zip");
    let folder = zip_name.strip_suffix(".zip").unwrap_or("brat");
    let types = entity_types(
        input.labels.iter().map(|l| l.id.as_str()).chain(
            input
                .docs
                .iter()
                .flat_map(|d| d.spans.iter())
                .map(|s| s.label.as_str()),
        ),
    );
    let mut zip = zip::ZipWriter::new(input.now);
    zip.add(
        &format!("{folder}/annotation.conf"),
        annotation_conf(&types).as_bytes(),
    );
    zip.add(
        &format!("{folder}/visual.conf"),
        visual_conf(&types, input.labels).as_bytes(),
    );
    let mut taken = BTreeSet::new();
    for view in &input.docs {
        let stem = unique_stem(view.doc, &mut taken);
        zip.add(&format!("{folder}/{stem}.txt"), view.doc.text().as_bytes());
        zip.add(
            &format!("{folder}/{stem}.ann"),
            write_ann(*view, &types).as_bytes(),
        );
    }
    OutputFile {
        name: zip_name,
        mime: "application/zip",
        bytes: zip.finish(),
    }
}

/// brat entity types for label ids, in first-seen order: `(label id, type)`. A type is
/// the label id in brat's storage form (every character outside `A-Z a-z 0-9 _ -`
/// becomes `_`, as brat's own `normalize_to_storage_form` does; `label` if nothing
/// but `-` and `_` would be left), with `-2`, `-3`, ... added when two ids would
/// otherwise share a type.
pub fn entity_types<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut used = BTreeSet::new();
    for id in ids {
        if out.iter().any(|(known, _)| known == id) {
            continue;
        }
        let base: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = if base.chars().any(|c| c.is_ascii_alphanumeric()) {
            base
        } else {
            "label".to_owned()
        };
        let mut t = base.clone();
        let mut n = 2;
        while !used.insert(t.clone()) {
            t = format!("{base}-{n}");
            n += 1;
        }
        out.push((id.to_owned(), t));
    }
    out
}

fn type_of<'a>(types: &'a [(String, String)], id: &str) -> Option<&'a str> {
    types
        .iter()
        .find(|(known, _)| known == id)
        .map(|(_, t)| t.as_str())
}

fn write_ann(view: DocView<'_>, types: &[(String, String)]) -> String {
    let doc = view.doc;
    let text = doc.text();
    let mut out = String::new();
    let mut n = 0;
    let mut t_of: std::collections::HashMap<&str, usize> = Default::default();
    for span in view.spans {
        let frags = fragments(text, span.range());
        let Some(ty) = type_of(types, span.label.as_str()) else {
            continue;
        };
        if frags.is_empty() {
            // Only line breaks: brat cannot show it (Marginalia trims spans, so its
            // own spans always hold more).
            continue;
        }
        n += 1;
        t_of.insert(span.id.as_str(), n);
        let offsets: Vec<String> = frags
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    doc.counts_at(r.start).code_points,
                    doc.counts_at(r.end).code_points
                )
            })
            .collect();
        let quotes: Vec<&str> = frags.iter().filter_map(|r| text.get(r.clone())).collect();
        let _ = writeln!(
            out,
            "T{n}\t{ty} {}\t{}",
            offsets.join(";"),
            quotes.join(" ")
        );
    }
    // Notes (and speakers given as names) as annotator notes; speakers that are spans as
    // `Speaker` relations from the quote to the speaker's span.
    let (mut notes, mut relations) = (0, 0);
    for span in view.spans {
        let Some(&t) = t_of.get(span.id.as_str()) else {
            continue;
        };
        let mut note = span.details.note.clone();
        match &span.details.speaker {
            Some(crate::Speaker::Text(name)) => {
                if !note.is_empty() {
                    note.push_str("; ");
                }
                note.push_str(&format!("speaker: {name}"));
            }
            Some(crate::Speaker::Span(target)) => {
                if let Some(&to) = t_of.get(target.as_str()) {
                    relations += 1;
                    let _ = writeln!(out, "R{relations}\tSpeaker Arg1:T{t} Arg2:T{to}");
                }
            }
            None => {}
        }
        if !note.is_empty() {
            notes += 1;
            // A note line cannot hold a line break.
            let one_line: String = note
                .chars()
                .map(|c| if is_line_break(c) { ' ' } else { c })
                .collect();
            let _ = writeln!(out, "#{notes}\tAnnotatorNotes T{t}\t{one_line}");
        }
    }
    out
}

/// The fragments of `range` in `text`: its stretches between line breaks
/// ([`LINE_BREAKS`]), each without them, empty ones dropped. A range inside one line is
/// its own single fragment.
pub fn fragments(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(slice) = text.get(range.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in slice.char_indices() {
        let at = range.start + i;
        if is_line_break(c) {
            if let Some(s) = start.take() {
                out.push(s..at);
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
    out
}

fn annotation_conf(types: &[(String, String)]) -> String {
    let mut out = String::from("[entities]\n");
    for (_, t) in types {
        out.push_str(t);
        out.push('\n');
    }
    out.push_str(
        "\n[relations]\n\
         # Marginalia's spans may nest and overlap: allow any overlap between entities.\n\
         <OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\
         # A quote's speaker, when the speaker is a span of the document.\n\
         Speaker\tArg1:<ENTITY>, Arg2:<ENTITY>\n\
         \n[events]\n\
         \n[attributes]\n",
    );
    out
}

fn visual_conf(types: &[(String, String)], labels: &LabelSet) -> String {
    let label = |id: &str| labels.iter().find(|l| l.id.as_str() == id);
    let mut out = String::from("[labels]\n");
    for (id, t) in types {
        let name = label(id).map_or(id.as_str(), |l| l.name.as_str());
        if let Some(name) = config_name(name) {
            let _ = writeln!(out, "{t} | {name}");
        }
    }
    out.push_str("\n[drawing]\n");
    for (id, t) in types {
        if let Some(color) = label(id).and_then(|l| hex_color(&l.color)) {
            let _ = writeln!(out, "{t}\tbgColor:{color}");
        }
    }
    out.push_str(
        "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n\
         ARC_DEFAULT\tcolor:black\n\
         ATTRIBUTE_DEFAULT\tglyph:*\n",
    );
    out
}

/// A label name as a brat `[labels]` term, or `None` if brat could not read it: `|`,
/// `<`, `>` and control characters become spaces; a name that is then empty, starts
/// with `#` or is all hyphens is left out (brat then shows the type).
fn config_name(name: &str) -> Option<String> {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "|<>".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim();
    let bad = clean.is_empty() || clean.starts_with('#') || clean.chars().all(|c| c == '-');
    (!bad).then(|| clean.to_owned())
}

/// `#rrggbb` for a CSS colour written `#rgb` or `#rrggbb`, else `None`.
fn hex_color(color: &str) -> Option<String> {
    let hex = color.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            hex.chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut s, c| {
                    s.push(c.to_ascii_lowercase());
                    s
                }),
        ),
        _ => None,
    }
}

/// The document's file stem, unique among `taken` ignoring case (so that the files do
/// not collide on case-insensitive file systems).
fn unique_stem(doc: &Document, taken: &mut BTreeSet<String>) -> String {
    let file = super::doc_file_name(doc, "txt");
    let base = file.strip_suffix(".txt").unwrap_or(&file).to_owned();
    let mut stem = base.clone();
    let mut n = 2;
    while !taken.insert(stem.to_lowercase()) {
        stem = format!("{base}-{n}");
        n += 1;
    }
    stem
}

/// Reads a brat `.txt`/`.ann` pair back: one document named after `file` (the `.ann`
/// file's name without its extension) with a span per valid `T` line. Fragments
/// separated only by line breaks become one span, from the first fragment's start to
/// the last one's end; fragments with anything else between them are refused, since a
/// Marginalia span is continuous. Other lines (notes, relations, events, attributes,
/// normalisations) are skipped. Each bad `T` line is left out and reported with its
/// line number; the document keeps the valid ones.
pub fn parse_pair(file: &str, text: &str, ann: &str) -> Import {
    let doc = Document::new(crate::input::name_from_file(file), text);
    let mut import = Import::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut spans = Vec::new();
    for (i, raw) in ann.split('\n').enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        match read_line(&doc, line, n, &mut seen) {
            Ok(Some(span)) => spans.push(span),
            Ok(None) => {}
            Err(e) => import.errors.push(e.at(file, Place::Line(n))),
        }
    }
    import.docs.push(ImportedDoc {
        id: None,
        name: doc.name().to_owned(),
        text: text.to_owned(),
        meta: None,
        spans,
    });
    import
}

fn read_line(
    doc: &Document,
    line: &str,
    n: usize,
    seen: &mut HashMap<String, usize>,
) -> Result<Option<ImportedSpan>, FieldError> {
    let Some((id, rest)) = line.split_once('\t') else {
        return Err(FieldError::record(
            "not a brat annotation: there is no tab after the annotation id",
        ));
    };
    if !id.starts_with('T') {
        return Ok(None);
    }
    if let Some(first) = seen.get(id) {
        return Err(FieldError::new(
            id,
            format!("is also the id of line {first}: annotation ids must be unique"),
        ));
    }
    seen.insert(id.to_owned(), n);
    let (data, quoted) = match rest.split_once('\t') {
        Some((data, quoted)) => (data, Some(quoted)),
        None => (rest, None),
    };
    let Some((label, offsets)) = data.split_once(' ') else {
        return Err(FieldError::new(
            id,
            format!("{data:?} has no offsets: expected \"TYPE START END\""),
        ));
    };
    if label.is_empty() {
        return Err(FieldError::new(id, "has no entity type"));
    }
    let parts: Vec<&str> = offsets.split(';').collect();
    let many = parts.len() > 1;
    let mut frags = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        let name = |end: &str| {
            if many {
                format!("{id} fragment {} {end}", k + 1)
            } else {
                format!("{id} {end}")
            }
        };
        let numbers = part
            .trim_end()
            .split_once(' ')
            .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)));
        let Some((start, end)) = numbers else {
            return Err(FieldError::new(
                id,
                format!("the offsets {part:?} are not two whole numbers \"START END\""),
            ));
        };
        frags.push(resolve(
            doc,
            Unit::CodePoint,
            start,
            end,
            (&name("start"), &name("end")),
        )?);
    }
    let text = doc.text();
    if let Some(quoted) = quoted.filter(|q| !q.is_empty()) {
        let actual: Vec<&str> = frags.iter().map(|r| &text[r.clone()]).collect();
        let actual = actual.join(" ");
        if actual != quoted {
            return Err(FieldError::new(
                id,
                format!(
                    "the annotation's text {:?} is not the document's text at its offsets ({:?})",
                    crate::render::excerpt(quoted, 40),
                    crate::render::excerpt(&actual, 40)
                ),
            ));
        }
    }
    let mut sorted = frags;
    crate::sort::sort_by_key(&mut sorted, |r| (r.start, r.end));
    for pair in sorted.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.start < a.end {
            return Err(FieldError::new(id, "has fragments that overlap"));
        }
        let gap = &text[a.end..b.start];
        if !gap.chars().all(is_line_break) {
            return Err(FieldError::new(
                id,
                format!(
                    "has fragments separated by {:?}, not only by line breaks: a Marginalia span is one continuous stretch of text",
                    crate::render::excerpt(gap, 40)
                ),
            ));
        }
    }
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return Err(FieldError::new(id, "has no offsets"));
    };
    Ok(Some(ImportedSpan {
        id: None,
        label: label.to_owned(),
        start: first.start,
        end: last.end,
        created: None,
        modified: None,
        origin: None,
        details: Default::default(),
    }))
}
