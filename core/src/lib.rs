//! Marginalia's domain core.
//!
//! Everything here is plain Rust with no web imports, so it is tested natively with
//! `cargo test`. The browser layer (selection anchoring, storage, downloads) and the
//! Leptos components call into it; they do no offset arithmetic of their own.
//!
//! Data flows: [`input`] turns bytes or pasted text into a [`document::Document`];
//! the [`editor::Editor`] holds the document, its [`span::Span`]s, the
//! [`label::LabelSet`] and the undo [`history`]; [`render`] splits the text into
//! paragraphs and segments for the view; [`persist`] encodes and restores the saved
//! state; [`export`] builds the labelled JSON that users download. A [`project`] holds
//! many documents in IndexedDB records, opened by their small summaries.

pub mod cursor;
pub mod document;
pub mod editor;
pub mod export;
pub mod formats;
pub mod history;
pub mod input;
pub mod interval;
pub mod label;
pub mod offsets;
pub mod persist;
pub mod project;
pub mod render;
pub mod segment;
pub mod settings;
pub mod sort;
pub mod span;
pub mod suggest;
pub mod time;
pub mod viewport;

pub use document::Document;
pub use editor::{EditError, Editor};
pub use label::{Label, LabelId, LabelSet};
pub use offsets::{Counts, OffsetError, Unit};
pub use span::{Origin, Span, SpanDetails, SpanId, Speaker};
pub use time::Timestamp;

/// The application version, written into saved data and exports.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
