//! Marginalia's browser app: a thin layer over [`marginalia_core`].
//!
//! - [`browser`] is the only code that touches web APIs: selection anchoring, storage,
//!   files, downloads and the clock.
//! - [`state`] holds the app's shared state (a context) and the actions the UI calls.
//! - [`app`] has the components, which render what the core computes.

pub mod app;
pub mod browser;
pub mod state;

pub use app::App;
