//! Timestamps: milliseconds since the Unix epoch, written as RFC 3339 in exports.

use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// A moment, in milliseconds since 1970-01-01T00:00:00Z. The browser layer supplies the
/// current time (the core never reads a clock, so it stays deterministic under test).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The last moment RFC 3339 can write: 9999-12-31T23:59:59.999Z.
    pub const MAX: Timestamp = Timestamp(253_402_300_799_999);

    /// RFC 3339 in UTC with milliseconds, for example `2026-11-28T22:31:04.120Z`.
    /// Moments before 1970 are written as the epoch, after 9999 as [`Timestamp::MAX`]
    /// (saved data can hold any number).
    pub fn to_rfc3339(self) -> String {
        let ms = u64::try_from(self.0.min(Self::MAX.0)).unwrap_or(0);
        let moment = SystemTime::UNIX_EPOCH + Duration::from_millis(ms);
        humantime::format_rfc3339_millis(moment).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_milliseconds() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Timestamp(1_795_905_064_120).to_rfc3339(),
            "2026-11-28T22:31:04.120Z"
        );
        assert_eq!(Timestamp(-5).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(i64::MAX).to_rfc3339(), "9999-12-31T23:59:59.999Z");
    }
}
