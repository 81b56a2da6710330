//! The wiki group's anchor: the same api.php pages our importer fetches, requested one after
//! another with one `curl -s` process per page, continuation followed by parsing each answer.
//!
//! The pages mirror crates/casebook-core/src/import/mediawiki/mod.rs: one `list=users` for all
//! accounts, then per account `list=usercontribs`, `list=logevents&leuser=NAME` and
//! `list=logevents&letitle=User:NAME`, each from `continue=` to the end, with
//! `format=json&formatversion=2&maxlag=5` first and every key of the answer's `continue`
//! object passed back (new-style continuation).

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::process::Command;

type Params = Vec<(String, String)>;

/// What the anchor fetched.
pub struct Fetched {
    pub pages: u64,
    /// Contributions and log entries listed, over all pages.
    pub items: u64,
}

pub fn fetch_all(api: &str, users: &[&str]) -> Result<Fetched> {
    let mut fetched = Fetched { pages: 0, items: 0 };
    let users_page = params(&[
        ("action", "query"),
        ("list", "users"),
        ("ususers", &users.join("|")),
        ("usprop", "groups|editcount|registration|blockinfo"),
    ]);
    get(api, &users_page)?;
    fetched.pages += 1;
    for user in users {
        let contributions = params(&[
            ("action", "query"),
            ("list", "usercontribs"),
            ("ucuser", user),
            ("uclimit", "500"),
            ("ucdir", "newer"),
            ("ucprop", "ids|title|timestamp|comment|size|sizediff|flags|tags"),
        ]);
        follow(api, contributions, "usercontribs", &mut fetched)?;
        follow(api, logs("leuser", user), "logevents", &mut fetched)?;
        follow(api, logs("letitle", &format!("User:{user}")), "logevents", &mut fetched)?;
    }
    Ok(fetched)
}

fn logs(key: &str, value: &str) -> Params {
    params(&[
        ("action", "query"),
        ("list", "logevents"),
        (key, value),
        ("lelimit", "500"),
        ("ledir", "newer"),
        ("leprop", "ids|title|type|user|timestamp|comment|details|tags"),
    ])
}

fn params(pairs: &[(&str, &str)]) -> Params {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Fetches one list from its start to its end.
fn follow(api: &str, list: Params, key: &str, fetched: &mut Fetched) -> Result<()> {
    let mut cont: Params = vec![("continue".into(), String::new())];
    loop {
        let mut all = list.clone();
        all.extend(cont.iter().cloned());
        let page = get(api, &all)?;
        fetched.pages += 1;
        fetched.items += page.pointer(&format!("/query/{key}")).and_then(Value::as_array).map_or(0, Vec::len) as u64;
        match page.get("continue").and_then(Value::as_object) {
            Some(next) => {
                cont = next
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                    .collect();
            }
            None => return Ok(()),
        }
    }
}

/// One `curl -s` process for one page; the answer must be JSON without an `error`.
fn get(api: &str, params: &[(String, String)]) -> Result<Value> {
    let mut url = format!("{api}?format=json&formatversion=2&maxlag=5");
    for (k, v) in params {
        url.push_str(&format!("&{}={}", encode(k), encode(v)));
    }
    let out = Command::new("curl").arg("-s").arg(&url).output().context("running curl (is it installed?)")?;
    if !out.status.success() {
        bail!("curl -s {url} failed ({})", out.status);
    }
    let page: Value = serde_json::from_slice(&out.stdout).with_context(|| format!("{url} did not answer JSON"))?;
    if let Some(error) = page.get("error") {
        bail!("{url} answered an error: {error}");
    }
    Ok(page)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
