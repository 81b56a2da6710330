//! The configured time-stamping authority: where to send requests and which root its tokens
//! must chain to. Kept as vault preferences, so changing it is in the audit chain.

use casebook_timestamp::Trust;

use crate::{Error, Result, Store};

const URL_PREF: &str = "timestamp.url";
const ROOT_PREF: &str = "timestamp.root_pem";

/// A configured authority.
#[derive(Clone)]
pub struct Authority {
    pub url: String,
    pub root_pem: String,
    pub trust: Trust,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority").field("url", &self.url).field("trust", &self.trust).finish()
    }
}

impl Authority {
    /// The trusted root's name, as reports and the app show it.
    pub fn name(&self) -> String {
        self.trust.names().join(", ")
    }
}

fn check_url(url: &str) -> Result<()> {
    let parsed = reqwest::Url::parse(url).map_err(|_| Error::invalid(format!("{url:?} is not a URL")))?;
    // Tokens are signed, so plain http (which many public authorities use) cannot forge one; a
    // network observer learns only that some file with this hash exists.
    if !matches!(parsed.scheme(), "http" | "https") || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid(
            "the time-stamping authority must be an http:// or https:// URL without credentials",
        ));
    }
    Ok(())
}

impl Store<'_> {
    /// The configured authority, if any.
    pub fn timestamp_authority(&self) -> Result<Option<Authority>> {
        let (Some(url), Some(root_pem)) = (self.preference(URL_PREF)?, self.preference(ROOT_PREF)?) else {
            return Ok(None);
        };
        if url.is_empty() {
            return Ok(None);
        }
        let trust = Trust::from_pem(root_pem.as_bytes())
            .map_err(|_| Error::CorruptVault("the stored time-stamping root is not a certificate".into()))?;
        Ok(Some(Authority { url, root_pem, trust }))
    }

    /// Configures the authority: its URL and the PEM certificate its tokens chain to. From now
    /// on every captured item is queued for a timestamp.
    pub fn set_timestamp_authority(&self, url: &str, root_pem: &str) -> Result<Authority> {
        let url = url.trim();
        check_url(url)?;
        let trust = Trust::from_pem(root_pem.as_bytes())
            .map_err(|_| Error::invalid("the authority's certificate is not a PEM certificate"))?;
        self.set_preference(ROOT_PREF, root_pem)?;
        self.set_preference(URL_PREF, url)?;
        Ok(Authority { url: url.to_string(), root_pem: root_pem.to_string(), trust })
    }

    /// Stops timestamping new items; items already queued stay queued.
    pub fn clear_timestamp_authority(&self) -> Result<()> {
        self.set_preference(URL_PREF, "")
    }
}
