//! Turning what the user gives (a file's bytes, pasted text) into a document, with
//! errors that say what is wrong, and names for documents and downloads.

use thiserror::Error;

/// Why some input could not become a document.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("There is no text to load: paste an article into \"Article text\" first.")]
    EmptyPaste,
    #[error("\"{name}\" is empty: there is no text to load.")]
    EmptyFile { name: String },
    #[error("\"{name}\" is not a text file ({kind}). Open a .txt file saved as UTF-8.")]
    NotText { name: String, kind: String },
    #[error("\"{name}\" is UTF-16 text. Save it as UTF-8 and open it again.")]
    Utf16 { name: String },
    #[error("\"{name}\" is not UTF-8 text: byte {offset} (line {line}) is not valid UTF-8. Save it as UTF-8 and open it again.")]
    NotUtf8 {
        name: String,
        offset: usize,
        line: usize,
    },
    #[error("\"{name}\" looks like a binary file (it contains NUL bytes), not text.")]
    Binary { name: String },
}

/// Whether a file of this name and MIME type may hold text we can load: `.txt`,
/// `.text`, `.md` or any `text/*` type. Other files are refused before reading.
pub fn check_file_kind(name: &str, mime: &str) -> Result<(), InputError> {
    let lower = name.to_lowercase();
    let text_ext = [".txt", ".text", ".md"].iter().any(|e| lower.ends_with(e));
    if text_ext || mime.starts_with("text/") {
        Ok(())
    } else {
        let kind = if mime.is_empty() {
            "unknown type".to_owned()
        } else {
            mime.to_owned()
        };
        Err(InputError::NotText {
            name: name.to_owned(),
            kind,
        })
    }
}

/// The text of a file's bytes, exactly: UTF-8 only, nothing trimmed or normalised (a
/// byte-order mark is kept, as Python's `utf-8` codec keeps it).
pub fn decode_file(name: &str, bytes: &[u8]) -> Result<String, InputError> {
    if bytes.is_empty() {
        return Err(InputError::EmptyFile {
            name: name.to_owned(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::Utf16 {
            name: name.to_owned(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => Err(InputError::Binary {
            name: name.to_owned(),
        }),
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let offset = e.valid_up_to();
            if bytes.contains(&0) {
                return Err(InputError::Binary {
                    name: name.to_owned(),
                });
            }
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            Err(InputError::NotUtf8 {
                name: name.to_owned(),
                offset,
                line,
            })
        }
    }
}

/// Pasted text, refused only when it holds nothing but whitespace.
pub fn check_paste(text: &str) -> Result<(), InputError> {
    if text.trim().is_empty() {
        Err(InputError::EmptyPaste)
    } else {
        Ok(())
    }
}

/// `text` as a textarea shows it: every CRLF and lone CR becomes LF. Pasted text that
/// still matches this form is loaded as pasted, so its line breaks are kept.
pub fn textarea_form(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Keeps the exact text behind a textarea in step with an edit of what it shows.
///
/// `exact` is the text as the user gave it, whose [`textarea_form`] the box showed
/// before the edit; `shown` is what the box shows after it; `pasted` is the clipboard
/// text of a paste, as given (with its CRs). The edited region is found as what lies
/// between the common beginning and end of the old and new shown text, and spliced into
/// `exact`, so line breaks outside it stay exactly as given, and a paste keeps its own.
pub fn follow_edit(exact: &str, shown: &str, pasted: Option<&str>) -> String {
    let before = textarea_form(exact);
    let prefix = common_prefix(&before, shown);
    let suffix = common_suffix(&before[prefix..], &shown[prefix..]);
    let inserted_shown = &shown[prefix..shown.len() - suffix];
    let inserted = match pasted {
        Some(p) if textarea_form(p) == inserted_shown => p,
        _ => inserted_shown,
    };
    let from = exact_offset(exact, prefix);
    let to = exact_offset(exact, before.len() - suffix);
    format!("{}{}{}", &exact[..from], inserted, &exact[to..])
}

/// Byte length of the longest common beginning of `a` and `b`, on a char boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Byte length of the longest common end of `a` and `b`, on a char boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

/// The byte offset in `exact` of byte offset `shown` in its textarea form.
fn exact_offset(exact: &str, shown: usize) -> usize {
    let bytes = exact.as_bytes();
    let (mut e, mut s) = (0, 0);
    while s < shown && e < bytes.len() {
        if bytes[e] == b'\r' && bytes.get(e + 1) == Some(&b'\n') {
            e += 2;
        } else {
            e += 1;
        }
        s += 1;
    }
    e
}

/// The longest document name made from pasted text, in characters.
pub const NAME_CHARS: usize = 60;

/// A document name from a file name: the name without its extension.
pub fn name_from_file(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rfind('.') {
        Some(dot) if dot > 0 => base[..dot].to_owned(),
        _ => base.to_owned(),
    }
}

/// A document name from pasted text: its first non-blank line, shortened.
pub fn name_from_text(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("article");
    let mut name: String = line.chars().take(NAME_CHARS).collect();
    if line.chars().count() > NAME_CHARS {
        name = format!("{}…", name.trim_end());
    }
    name
}

/// A safe download file name: `<name>.<ext>`, with characters that file systems
/// refuse (`/ \ : * ? " < > |` and control characters) replaced by `_`.
pub fn file_name(name: &str, ext: &str) -> String {
    let clean: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_matches('.');
    let stem = if clean.is_empty() { "document" } else { clean };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_exactly_and_names_bad_bytes() {
        let text = "a\r\n\tb  \u{feff}";
        assert_eq!(decode_file("f.txt", text.as_bytes()).unwrap(), text);
        assert_eq!(
            decode_file("f.txt", b"ok\nstill ok\nbad \xff here"),
            Err(InputError::NotUtf8 {
                name: "f.txt".into(),
                offset: 16,
                line: 3
            })
        );
        assert_eq!(
            decode_file("f.txt", b""),
            Err(InputError::EmptyFile {
                name: "f.txt".into()
            })
        );
        assert_eq!(
            decode_file("f.txt", b"\xff\xfea\0"),
            Err(InputError::Utf16 {
                name: "f.txt".into()
            })
        );
        assert_eq!(
            decode_file("x.txt", b"PK\x03\x04\0\0"),
            Err(InputError::Binary {
                name: "x.txt".into()
            })
        );
        let msg = decode_file("f.txt", b"\xc3(").unwrap_err().to_string();
        assert!(
            msg.contains("\"f.txt\"") && msg.contains("byte 0") && msg.contains("line 1"),
            "{msg}"
        );
    }

    #[test]
    fn file_kinds() {
        assert!(check_file_kind("a.TXT", "").is_ok());
        assert!(check_file_kind("notes", "text/plain").is_ok());
        assert!(check_file_kind("photo.png", "image/png").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(name_from_file("C:\\x\\seed-article.txt"), "seed-article");
        assert_eq!(name_from_file(".profile"), ".profile");
        assert_eq!(name_from_text("\n\n  Iran \nTrump"), "Iran");
        assert_eq!(
            name_from_text(&"x".repeat(70)).chars().count(),
            NAME_CHARS + 1
        );
        assert_eq!(file_name("a/b: c?", "json"), "a_b_ c_.json");
        assert_eq!(file_name(" .. ", "json"), "document.json");
        assert!(check_paste(" \n\t").is_err());
        assert_eq!(textarea_form("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn the_exact_text_follows_edits_of_the_box() {
        // A paste into an empty box keeps its CRLFs.
        let pasted = "one\r\ntwo\r\n";
        let exact = follow_edit("", &textarea_form(pasted), Some(pasted));
        assert_eq!(exact, pasted);
        // Typing at the end, in the middle, deleting: other CRLFs stay.
        let exact = follow_edit(&exact, "one\ntwo\nthree", None);
        assert_eq!(exact, "one\r\ntwo\r\nthree");
        let exact = follow_edit(&exact, "one!\ntwo\nthree", None);
        assert_eq!(exact, "one!\r\ntwo\r\nthree");
        let exact = follow_edit(&exact, "one!\nthree", None);
        assert_eq!(exact, "one!\r\nthree");
        // A second paste in the middle keeps its own line breaks.
        let exact = follow_edit(&exact, "one!\nA\nB\nthree", Some("A\r\nB\r\n"));
        assert_eq!(exact, "one!\r\nA\r\nB\r\nthree");
        // Non-ASCII around the edit.
        let exact = follow_edit("é\r\n😀", "é\nx😀", None);
        assert_eq!(exact, "é\r\nx😀");
    }
}
