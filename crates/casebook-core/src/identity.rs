//! This vault's identity (signing and encryption keys, kept inside the encrypted database) and
//! the trusted key directory of contacts.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

use crate::{Error, Result, Store, audit, fsutil, time};
pub use casebook_bundle::{PublicIdentity, PublicKeyFile, SecretIdentity, normalize_fingerprint};

/// Creates the vault's identity if it has none yet (new vaults, and vaults from before
/// identities existed). Runs inside the caller's transaction.
pub(crate) fn ensure(conn: &Connection, owner: &str) -> Result<()> {
    let exists: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM identity)", [], |r| r.get(0))?;
    if exists {
        return Ok(());
    }
    let identity = SecretIdentity::generate(owner);
    let (signing, age) = identity.secrets();
    let fingerprint = identity.fingerprint();
    conn.execute(
        "INSERT INTO identity(id, name, signing_secret, age_secret, fingerprint, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![owner, signing.as_str(), age.as_str(), fingerprint, time::to_db(&Utc::now())],
    )?;
    audit::append(conn, owner, "identity.create", None, &fingerprint, fingerprint.as_bytes())?;
    Ok(())
}

/// A contact in the key directory.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Contact {
    pub fingerprint: String,
    pub name: String,
    pub signing_key: String,
    pub recipient: String,
    /// `file` (added by hand) or `server` (a later issue).
    pub source: String,
    pub added_at: String,
}

impl Contact {
    pub fn public(&self) -> PublicIdentity {
        PublicIdentity {
            name: self.name.clone(),
            signing_key: self.signing_key.clone(),
            recipient: self.recipient.clone(),
        }
    }
}

impl Store<'_> {
    /// This vault's identity, secrets included. Never logged, never leaves the process.
    pub fn identity(&self) -> Result<SecretIdentity> {
        let (name, signing, age): (String, String, String) = self
            .conn
            .query_row("SELECT name, signing_secret, age_secret FROM identity WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?
            .ok_or_else(|| Error::CorruptVault("the vault has no identity".into()))?;
        let (signing, age) = (zeroize::Zeroizing::new(signing), zeroize::Zeroizing::new(age));
        Ok(SecretIdentity::from_secrets(&name, &signing, &age)?)
    }

    /// Writes this vault's identity, both secrets included, to a new owner-only file at `to`,
    /// encrypted to `passphrase` (a secret identity file: docs/bundle-format.md), so that a
    /// recipient can check bundles with `casebook-verify` away from the vault. Never replaces
    /// an existing file. Audited before anything is written: an attempt is an export too.
    pub fn export_secret_identity(&self, to: &Path, passphrase: &str) -> Result<PublicKeyFile> {
        if to.exists() {
            return Err(Error::invalid(format!("{} already exists; choose a new file", to.display())));
        }
        let identity = self.identity()?;
        let bytes = identity.to_identity_file(passphrase)?;
        let fingerprint = identity.fingerprint();
        self.record("identity.export_secret", None, &fingerprint, fingerprint.as_bytes())?;
        fsutil::write_new_private(to, &bytes, "the identity file")?;
        Ok(identity.public().to_file())
    }

    /// Trusts the holder of `public` (a public key file's contents).
    pub fn add_contact(&self, public: &PublicIdentity, source: &str) -> Result<Contact> {
        public.verifying_key()?;
        public.age_recipient()?;
        let fingerprint = public.fingerprint();
        if fingerprint == self.identity()?.fingerprint() {
            return Err(Error::invalid("that is this vault's own identity"));
        }
        let contact = Contact {
            fingerprint: fingerprint.clone(),
            name: public.name.trim().to_string(),
            signing_key: public.signing_key.clone(),
            recipient: public.recipient.clone(),
            source: source.to_string(),
            added_at: time::to_db(&Utc::now()),
        };
        let tx = self.tx()?;
        let inserted = tx.execute(
            "INSERT INTO contacts(fingerprint, name, signing_key, recipient, source, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(fingerprint) DO NOTHING",
            params![contact.fingerprint, contact.name, contact.signing_key, contact.recipient, contact.source, contact.added_at],
        )?;
        if inserted == 0 {
            return Err(Error::invalid(format!("{fingerprint} is already a contact")));
        }
        audit::append(&tx, self.actor, "contact.add", None, &fingerprint, fingerprint.as_bytes())?;
        tx.commit()?;
        Ok(contact)
    }

    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let mut stmt = self.conn.prepare(
            "SELECT fingerprint, name, signing_key, recipient, source, added_at FROM contacts ORDER BY name, fingerprint",
        )?;
        let rows = stmt.query_map([], contact_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The contact with this fingerprint (in any spelling), or `not_found`.
    pub fn contact(&self, fingerprint: &str) -> Result<Contact> {
        let fp = normalize_fingerprint(fingerprint);
        self.conn
            .query_row(
                "SELECT fingerprint, name, signing_key, recipient, source, added_at FROM contacts WHERE fingerprint = ?1",
                [&fp],
                contact_row,
            )
            .optional()?
            .ok_or_else(|| Error::not_found("contact", fingerprint))
    }

    /// The contact with this fingerprint, if any; database errors are errors, not "unknown".
    pub fn find_contact(&self, fingerprint: &str) -> Result<Option<Contact>> {
        match self.contact(fingerprint) {
            Ok(contact) => Ok(Some(contact)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn remove_contact(&self, fingerprint: &str) -> Result<Contact> {
        let contact = self.contact(fingerprint)?;
        let tx = self.tx()?;
        tx.execute("DELETE FROM contacts WHERE fingerprint = ?1", [&contact.fingerprint])?;
        audit::append(&tx, self.actor, "contact.remove", None, &contact.fingerprint, contact.fingerprint.as_bytes())?;
        tx.commit()?;
        Ok(contact)
    }

    /// Whom bundles may come from: the contacts and this vault itself.
    pub(crate) fn trusted_signer(&self, fingerprint: &str) -> Option<PublicIdentity> {
        if let Ok(me) = self.identity()
            && me.fingerprint() == fingerprint
        {
            return Some(me.public());
        }
        self.contact(fingerprint).ok().map(|c| c.public())
    }
}

fn contact_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        fingerprint: r.get(0)?,
        name: r.get(1)?,
        signing_key: r.get(2)?,
        recipient: r.get(3)?,
        source: r.get(4)?,
        added_at: r.get(5)?,
    })
}
