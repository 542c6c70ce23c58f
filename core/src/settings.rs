//! The user's settings, kept apart from the work (they are small and per browser).

use serde::{Deserialize, Serialize};

/// The localStorage key of the settings.
pub const SETTINGS_KEY: &str = "marginalia.settings";

/// How the app behaves for this user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Widen selections to whole words (UAX #29); off for character precision.
    pub snap_to_words: bool,
    /// The project open last (its id), opened again on the next visit.
    pub project: Option<String>,
    /// The document open last in that project (its id).
    pub document: Option<String>,
    /// Whether the documents panel is shown.
    pub documents_panel: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            snap_to_words: true,
            project: None,
            document: None,
            documents_panel: true,
        }
    }
}

impl Settings {
    /// Reads saved settings; anything unreadable gives the defaults (settings are
    /// never worth refusing to start over).
    pub fn from_json(raw: &str) -> Settings {
        serde_json::from_str(raw).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_missing_or_unreadable() {
        assert!(Settings::from_json("{}").snap_to_words);
        assert!(!Settings::from_json(r#"{"snap_to_words":false}"#).snap_to_words);
        assert_eq!(Settings::from_json("nonsense"), Settings::default());
    }
}
