//! The review server's client: enrol this vault's identity with a one-time token, then keep the
//! contacts in step with the server's key directory (people added, devices revoked). Every
//! request after enrolment is signed by the vault's identity (scheme in casebook-protocol).

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_protocol::{signing, types::EnrollRequest};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::{Error, Result, Store, audit};

/// What a directory pull changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DirectorySync {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Things a person should look at: name clashes, revocations of hand-added contacts.
    pub notices: Vec<String>,
}

mod chain;
mod client;
mod inbox;
mod outbox;
mod states;
mod upload;

pub use chain::{ChainLevel, ChainStep, ChainView, ChainVote, Divergence, PolicyView};
pub use inbox::{InboxItem, Opened, OpenedDecision};
pub use outbox::{DecisionContent, OutboxItem};
pub use states::{CaseState, SyncReport};
pub use upload::UPLOAD_CHUNK;

/// The wire vocabulary, so that callers of this module need no other crate.
pub use casebook_protocol::{
    policy::{PartyRole, PolicyLevel, ReviewPolicy},
    review::{Decision, ReviewState},
    types::{CaseReview, Directory, Enrolled, Person},
};
pub(crate) use client::Client;

impl Store<'_> {
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Enrols this vault's identity with the server at `server` using a one-time `token`.
    /// `ca_pem` is the server's CA certificate when it is not signed by a public one.
    pub fn enroll(&self, server: &str, token: &str, device_name: &str, ca_pem: Option<&str>) -> Result<Enrolled> {
        let identity = self.identity()?;
        let client = Client::new(server, None, ca_pem)?;
        let body = serde_json::to_vec(&EnrollRequest {
            token: token.trim().to_string(),
            device_name: device_name.to_string(),
            identity: identity.public(),
            proof: B64.encode(identity.sign(signing::ENROLL_DOMAIN, token.trim().as_bytes())),
        })
        .map_err(|e| Error::invalid(e.to_string()))?;
        let enrolled: Enrolled = client.json(reqwest::Method::POST, "/v1/enroll", &body)?;
        let tx = self.tx()?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('sync.server', ?1), ('sync.user', ?2)",
            params![client.server(), enrolled.user],
        )?;
        match ca_pem {
            Some(pem) => tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('sync.ca', ?1)", [pem])?,
            None => tx.execute("DELETE FROM meta WHERE key = 'sync.ca'", [])?,
        };
        audit::append(&tx, self.actor, "sync.enroll", None, &enrolled.device_fingerprint, server.as_bytes())?;
        tx.commit()?;
        Ok(enrolled)
    }

    /// A client for the server this vault enrolled with, signing as this vault's identity.
    pub(crate) fn client(&self) -> Result<Client> {
        let server = self
            .meta("sync.server")?
            .ok_or_else(|| Error::invalid("not enrolled: run `casebook sync enroll` first"))?;
        Client::new(&server, Some(self.identity()?), self.meta("sync.ca")?.as_deref())
    }

    /// The server's key directory as it is now (people, roles, devices, revocations).
    pub fn key_directory(&self) -> Result<Directory> {
        self.client()?.json(reqwest::Method::GET, "/v1/directory", b"")
    }

    /// Which server this vault is enrolled with, and as whom.
    pub fn enrolment(&self) -> Result<Option<(String, String)>> {
        Ok(self.meta("sync.server")?.zip(self.meta("sync.user")?))
    }

    /// Pulls the key directory: every enrolled, unrevoked device other than this vault's becomes
    /// a contact (source `server`), unless its name looks like an existing contact's (reported,
    /// not added). A server-sourced contact the server has revoked is removed; a contact added
    /// by hand is never removed by the server, only reported.
    pub fn sync_directory(&self) -> Result<DirectorySync> {
        self.sync_directory_with(&self.client()?)
    }

    pub(crate) fn sync_directory_with(&self, client: &Client) -> Result<DirectorySync> {
        let directory: Directory = client.json(reqwest::Method::GET, "/v1/directory", b"")?;
        let me = self.identity()?.fingerprint();
        let mut report = DirectorySync::default();
        for person in &directory.people {
            for device in &person.devices {
                let fp = device.identity.fingerprint();
                if fp != device.fingerprint || fp == me {
                    continue;
                }
                let known = self.find_contact(&fp)?;
                let revoked = person.revoked || device.revoked;
                match (known, revoked) {
                    (Some(contact), true) if contact.source == "server" => {
                        self.remove_contact(&fp)?;
                        report.removed.push(format!("{} ({fp})", person.name));
                    }
                    (Some(contact), true) => report.notices.push(format!(
                        "{} ({fp}) is revoked on the server; you added this contact by hand, so it stays: remove it if you agree",
                        contact.name
                    )),
                    (Some(contact), false) if contact.name != person.name => report.notices.push(format!(
                        "{fp} is \"{}\" here but \"{}\" on the server",
                        contact.name, person.name
                    )),
                    (None, false) => {
                        let clash = self.contacts()?.into_iter().find(|c| same_name(&c.name, &person.name));
                        if let Some(existing) = clash {
                            report.notices.push(format!(
                                "not added: {fp} is named \"{}\", like your contact {} ({})",
                                person.name, existing.name, existing.fingerprint
                            ));
                            continue;
                        }
                        let mut public = device.identity.clone();
                        public.name = person.name.clone();
                        self.add_contact(&public, "server")?;
                        report.added.push(format!("{} ({fp})", person.name));
                    }
                    _ => report.unchanged += 1,
                }
            }
        }
        Ok(report)
    }
}

/// Names that a person could mistake for each other: compared without case, spacing or
/// punctuation. (Look-alike letters from other scripts are not caught.)
fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    key(a) == key(b)
}

/// https anywhere; plain http only to this machine, by exact host.
fn check_server_url(server: &str) -> Result<()> {
    let url = reqwest::Url::parse(server).map_err(|_| Error::invalid(format!("{server:?} is not a URL")))?;
    let loopback = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    let ok = url.username().is_empty()
        && url.password().is_none()
        && (url.scheme() == "https" || (url.scheme() == "http" && loopback));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("the server must be https:// (plain http only to 127.0.0.1 or localhost)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http() {
        assert!(check_server_url("https://review.example.org").is_ok());
        assert!(check_server_url("http://127.0.0.1:8443").is_ok());
        assert!(check_server_url("http://localhost:8443").is_ok());
        for bad in [
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io",
            "http://localhost@evil.example/",
            "ftp://x",
            "http://10.0.0.1",
        ] {
            assert!(check_server_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn look_alike_names_are_the_same_name() {
        assert!(same_name("Alice", "alice "));
        assert!(same_name("Reviewer B", "reviewer-b"));
        assert!(!same_name("Alice", "Alicia"));
    }
}
