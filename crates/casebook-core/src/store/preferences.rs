//! The investigator's preferences that belong inside the vault because they say something
//! about the work (the wikis they import from, say): kept encrypted, unlike the desktop's
//! settings file, which holds only a lock timeout and a language.

use rusqlite::OptionalExtension;

use super::Store;
use crate::{Error, Result, audit};

/// A preference value larger than this is not a preference.
const MAX_VALUE: usize = 64 * 1024;

impl Store<'_> {
    pub fn preference(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [format!("pref.{key}")], |r| r.get(0))
            .optional()?)
    }

    /// Saves a preference; the change is in the audit chain like any other.
    pub fn set_preference(&self, key: &str, value: &str) -> Result<()> {
        if value.len() > MAX_VALUE {
            return Err(Error::invalid(format!("a preference is at most {MAX_VALUE} bytes")));
        }
        let tx = self.tx()?;
        tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", [format!("pref.{key}"), value.into()])?;
        audit::append(&tx, self.actor, "preference.set", None, key, value.as_bytes())?;
        tx.commit()?;
        Ok(())
    }
}
