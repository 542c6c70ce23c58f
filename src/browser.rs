//! The browser layer: the only code that touches web APIs.

pub mod channel;
pub mod clock;
pub mod db;
pub mod download;
pub mod files;
pub mod selection;
pub mod storage;
