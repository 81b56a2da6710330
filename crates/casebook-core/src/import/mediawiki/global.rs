//! Cross-wiki accounts: which wikis a global (CentralAuth) account is attached to, from
//! `meta=globaluserinfo`, so an investigator can import one person's conduct everywhere at once.
//! A wiki without CentralAuth says so by not knowing the module; that is an answer
//! (`available: false`), not an error.

use reqwest::Url;
use serde::Serialize;
use serde_json::Value;

use super::client::{Api, RetryPolicy, wiki_name};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachedWikis {
    /// False when the wiki has no CentralAuth (the investigator then names the wikis).
    pub available: bool,
    /// The global account's home wiki (a database name such as `enwiki`); none when the
    /// account does not exist or CentralAuth is not available.
    pub home: Option<String>,
    pub wikis: Vec<AttachedWiki>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachedWiki {
    /// The wiki's host, as events and subjects name it.
    pub wiki: String,
    /// Its `api.php`, built from the address CentralAuth gives (`https://host/w/api.php`).
    pub api: String,
    pub editcount: i64,
    pub groups: Vec<String>,
    pub registration: Option<String>,
}

/// The wikis `username`'s global account is attached to, as `api`'s CentralAuth knows them.
pub fn attached_wikis(api: &str, username: &str, retry: RetryPolicy) -> Result<AttachedWikis> {
    let name = username.trim().replace('_', " ");
    if name.is_empty() || name.contains(['|', '#', '<', '>', '[', ']', '{', '}']) {
        return Err(Error::invalid(format!("{username:?} is not a valid MediaWiki user name")));
    }
    let api = Api::new(api, retry)?;
    let params: Vec<(String, String)> =
        [("action", "query"), ("meta", "globaluserinfo"), ("guiuser", name.as_str()), ("guiprop", "merged|groups")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the network runtime")(e))?;
    match runtime.block_on(api.get_or_refusal(&params))? {
        Ok(page) => parse(&page.json, &api.host()),
        // A wiki that rejects unknown module names outright rather than warning.
        Err(refusal) if matches!(refusal.code.as_str(), "badvalue" | "unknown_meta") => Ok(unavailable()),
        Err(refusal) => Err(Error::Remote {
            code: "wiki_api_error",
            message: format!("{} refused the request: {}", api.host(), refusal.code),
        }),
    }
}

fn unavailable() -> AttachedWikis {
    AttachedWikis { available: false, home: None, wikis: vec![] }
}

/// Reads a `meta=globaluserinfo` answer (formatversion=2).
pub(crate) fn parse(json: &Value, host: &str) -> Result<AttachedWikis> {
    // MediaWiki without CentralAuth warns "Unrecognized value for parameter "meta"" and
    // returns no globaluserinfo at all.
    let Some(info) = json.pointer("/query/globaluserinfo") else {
        return Ok(unavailable());
    };
    if info.get("missing").is_some() {
        return Ok(AttachedWikis { available: true, home: None, wikis: vec![] });
    }
    let bad = |what: &str| Error::Remote {
        code: "wiki_bad_response",
        message: format!("{host} returned a globaluserinfo {what}"),
    };
    let merged = info.get("merged").and_then(Value::as_array).ok_or_else(|| bad("without merged accounts"))?;
    let mut wikis = Vec::with_capacity(merged.len());
    for account in merged {
        let url = account.get("url").and_then(Value::as_str).ok_or_else(|| bad("account without a url"))?;
        // Older CentralAuth gave protocol-relative addresses; every Wikimedia wiki is https.
        let url = if url.starts_with("//") { format!("https:{url}") } else { url.to_string() };
        let server = Url::parse(&url).map_err(|_| bad("account with an invalid url"))?;
        if !matches!(server.scheme(), "http" | "https") || server.host_str().is_none() {
            return Err(bad("account with an invalid url"));
        }
        let wiki = wiki_name(&server);
        wikis.push(AttachedWiki {
            api: format!("{}://{wiki}/w/api.php", server.scheme()),
            wiki,
            editcount: account.get("editcount").and_then(Value::as_i64).unwrap_or(0),
            groups: account
                .get("groups")
                .and_then(Value::as_array)
                .map(|g| g.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            registration: account.get("registration").and_then(Value::as_str).map(str::to_string),
        });
    }
    let home = info.get("home").and_then(Value::as_str).map(str::to_string);
    Ok(AttachedWikis { available: true, home, wikis })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers in the shape Wikimedia's CentralAuth gives (formatversion=2), kept beside the
    /// crate's tests; the last one is what MediaWiki 1.39 without CentralAuth really answers.
    fn fixture(name: &str) -> Value {
        let text = match name {
            "merged" => include_str!("../../../tests/fixtures/globaluserinfo.json"),
            "missing" => include_str!("../../../tests/fixtures/globaluserinfo-missing.json"),
            _ => include_str!("../../../tests/fixtures/globaluserinfo-without-centralauth.json"),
        };
        serde_json::from_str(text).expect("fixture is JSON")
    }

    #[test]
    fn merged_accounts_become_wikis_with_their_api() {
        let found = parse(&fixture("merged"), "meta.wikimedia.org").expect("parses");
        assert!(found.available);
        assert_eq!(found.home.as_deref(), Some("enwiki"));
        let hosts: Vec<&str> = found.wikis.iter().map(|w| w.wiki.as_str()).collect();
        assert_eq!(hosts, ["commons.wikimedia.org", "de.wikipedia.org", "en.wikipedia.org", "meta.wikimedia.org"]);
        let en = &found.wikis[2];
        assert_eq!(en.api, "https://en.wikipedia.org/w/api.php");
        assert_eq!(en.editcount, 1523);
        assert_eq!(en.groups, ["extendedconfirmed", "rollbacker"]);
        assert_eq!(en.registration.as_deref(), Some("2021-03-14T08:21:44Z"));
        assert!(found.wikis[0].groups.is_empty());
    }

    #[test]
    fn a_missing_global_account_is_available_and_empty() {
        let found = parse(&fixture("missing"), "meta.wikimedia.org").expect("parses");
        assert_eq!(found, AttachedWikis { available: true, home: None, wikis: vec![] });
    }

    #[test]
    fn a_wiki_without_centralauth_is_not_available() {
        assert_eq!(parse(&fixture("plain"), "wiki").expect("parses"), unavailable());
    }

    #[test]
    fn protocol_relative_and_bad_urls() {
        let json = serde_json::json!({"query": {"globaluserinfo": {"home": "enwiki", "merged": [
            {"wiki": "enwiki", "url": "//en.wikipedia.org", "editcount": 1, "registration": "2021-03-14T08:21:44Z"}]}}});
        assert_eq!(parse(&json, "w").expect("parses").wikis[0].api, "https://en.wikipedia.org/w/api.php");
        let bad = serde_json::json!({"query": {"globaluserinfo": {"merged": [{"wiki": "x", "url": "not a url"}]}}});
        assert_eq!(parse(&bad, "w").expect_err("bad url").code(), "wiki_bad_response");
    }
}
