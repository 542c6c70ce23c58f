//! Placeholder: this format's adapter is being written.
