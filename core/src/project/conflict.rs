//! Two tabs on one project: the rule that keeps one from overwriting the other's work.
//!
//! Every stored document (and project record) carries a `revision`, a counter that
//! every write moves up by one. A tab remembers the revision of what it loaded, its
//! *base*. To save, inside one read-write IndexedDB transaction (so no other tab can
//! write in between), it reads the stored revision (from the document's summary, which
//! is small) and calls [`check_write`]:
//!
//! - [`Write::Fresh`]: nothing is stored under that key. A new document; or one another
//!   tab deleted while this one had it open, which writing brings back (nothing is lost;
//!   the app may say so). Write revision `base + 1`.
//! - [`Write::Clean`]: the stored revision is the base: nobody wrote since this tab
//!   loaded. Write revision `base + 1` ([`Write::next_revision`]).
//! - [`Write::Conflict`]: another tab saved revision `stored` since. **Nothing is
//!   written.** The tab keeps its version in memory and asks the user:
//!   - *Open the other tab's version*: read the stored document and open it; this tab's
//!     unsaved changes are dropped (after the user said so).
//!   - *Keep mine*: take `stored` as the new base and save again. The check runs again,
//!     so this writes revision `stored + 1` and replaces the other version, unless a
//!     third write came in between, which asks again.
//!   - *Keep both*: save this tab's version as a new document
//!     ([`super::DocRecord::as_copy`], named "<name> (copy)", a fresh write) and leave
//!     the stored one as the other tab wrote it.
//!
//! Only after the transaction has committed does the tab take the written revision as
//! its new base; a write that failed (storage full) leaves the base as it was, so the
//! next attempt is still clean.
//!
//! ```
//! use marginalia_core::project::{check_write, DocRecord, Write};
//! use marginalia_core::Timestamp;
//!
//! // A store of one document's revision, as IndexedDB would hold it.
//! let mut stored: Option<u64> = None;
//! let mut tab_a = DocRecord::new("p", "d", "Article", "text", 0, Timestamp(0));
//! let mut tab_b = tab_a.clone();
//!
//! // Tab A saves first: fresh, stored as revision 1, which becomes its base.
//! let w = check_write(tab_a.revision, stored);
//! assert_eq!(w, Write::Fresh);
//! tab_a.revision = w.next_revision(tab_a.revision).unwrap();
//! stored = Some(tab_a.revision);
//!
//! // Tab B, which loaded the document before, is refused: nothing is overwritten.
//! assert_eq!(check_write(tab_b.revision, stored), Write::Conflict { stored: 1 });
//!
//! // The user chose "keep mine": B takes the stored revision as its base and saves.
//! tab_b.revision = 1;
//! let w = check_write(tab_b.revision, stored);
//! assert_eq!(w, Write::Clean);
//! assert_eq!(w.next_revision(tab_b.revision), Some(2));
//! ```

/// Whether a write may go ahead; see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Nothing is stored: write (revision `base + 1`).
    Fresh,
    /// The stored revision is the one this tab loaded: write (revision `base + 1`).
    Clean,
    /// Another tab stored revision `stored` since this one loaded: write nothing and ask.
    Conflict { stored: u64 },
}

/// The rule: `base` is the revision the tab loaded (0 if it never was stored), `stored`
/// the revision stored now (`None` if there is no record), read in the same
/// transaction as the write.
pub fn check_write(base: u64, stored: Option<u64>) -> Write {
    match stored {
        None => Write::Fresh,
        Some(stored) if stored == base => Write::Clean,
        Some(stored) => Write::Conflict { stored },
    }
}

impl Write {
    /// The revision to write, or `None` on a conflict (write nothing).
    pub fn next_revision(self, base: u64) -> Option<u64> {
        match self {
            Write::Fresh | Write::Clean => Some(base.saturating_add(1)),
            Write::Conflict { .. } => None,
        }
    }
}

/// The revision for a record written over whatever is stored on purpose (restoring a
/// backup over an existing project): above both, so any tab still holding the replaced
/// record sees a conflict instead of overwriting the restored one.
pub fn overwrite_revision(incoming: u64, stored: Option<u64>) -> u64 {
    incoming.max(stored.unwrap_or(0)).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        assert_eq!(check_write(0, None), Write::Fresh);
        assert_eq!(check_write(5, None), Write::Fresh);
        assert_eq!(check_write(5, Some(5)), Write::Clean);
        assert_eq!(check_write(5, Some(6)), Write::Conflict { stored: 6 });
        // A stored revision below the base (a restore elsewhere) is a conflict too.
        assert_eq!(check_write(5, Some(2)), Write::Conflict { stored: 2 });
        assert_eq!(Write::Fresh.next_revision(0), Some(1));
        assert_eq!(Write::Clean.next_revision(5), Some(6));
        assert_eq!(Write::Conflict { stored: 6 }.next_revision(5), None);
    }

    #[test]
    fn a_restore_outranks_every_tab() {
        assert_eq!(overwrite_revision(3, None), 4);
        assert_eq!(overwrite_revision(3, Some(9)), 10);
        assert_eq!(overwrite_revision(9, Some(3)), 10);
        // A tab that had revision 9 open now conflicts with the restored record.
        assert!(matches!(
            check_write(9, Some(overwrite_revision(3, Some(9)))),
            Write::Conflict { .. }
        ));
    }
}
