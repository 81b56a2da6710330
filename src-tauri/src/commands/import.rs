//! Conduct import from MediaWiki: the known-wiki shortcuts, the accounts attached to a global
//! account, the import itself (several accounts on several wikis, with progress and cancel),
//! queued imports and their resumption, and the interaction analysis of what was imported.

use std::{collections::BTreeMap, ops::ControlFlow};

use casebook_core::import::mediawiki::{
    self, AttachedWikis, ImportOptions, ImportRequest, ImportUpdate, Interactions, RetryPolicy, WikiImportRecord,
    WikiImportResult,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State, ipc::Channel};

use super::{Args, CaseRef, NoArgs};
use crate::{
    error::{CommandError, CommandResult},
    jobs,
    state::AppState,
};

/// Where the known-wiki list is kept inside the vault.
const WIKIS_PREFERENCE: &str = "desktop.known_wikis";
const MAX_WIKIS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownWiki {
    pub name: String,
    pub api: String,
}

/// The list a new vault starts with: the projects a Wikimedia T&S team works across most.
fn default_wikis() -> Vec<KnownWiki> {
    [
        ("English Wikipedia", "https://en.wikipedia.org/w/api.php"),
        ("Wikimedia Commons", "https://commons.wikimedia.org/w/api.php"),
        ("Meta-Wiki", "https://meta.wikimedia.org/w/api.php"),
        ("Wikidata", "https://www.wikidata.org/w/api.php"),
        ("German Wikipedia", "https://de.wikipedia.org/w/api.php"),
        ("French Wikipedia", "https://fr.wikipedia.org/w/api.php"),
        ("Spanish Wikipedia", "https://es.wikipedia.org/w/api.php"),
    ]
    .into_iter()
    .map(|(name, api)| KnownWiki { name: name.into(), api: api.into() })
    .collect()
}

fn check_wikis(wikis: &[KnownWiki]) -> CommandResult<()> {
    if wikis.len() > MAX_WIKIS {
        return Err(CommandError::invalid(format!("at most {MAX_WIKIS} known wikis")));
    }
    for wiki in wikis {
        if wiki.name.trim().is_empty() {
            return Err(CommandError::invalid("every known wiki needs a name"));
        }
        let api = wiki.api.trim();
        if !(api.starts_with("https://") || api.starts_with("http://")) || !api.ends_with("api.php") {
            return Err(CommandError::invalid(format!(
                "{:?} is not a wiki API address (http(s)://…/api.php)",
                wiki.api
            )));
        }
    }
    Ok(())
}

#[tauri::command]
pub async fn wiki_list(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<Vec<KnownWiki>> {
    let _ = args;
    state.with_vault(|v| {
        Ok(match v.store().preference(WIKIS_PREFERENCE)? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|_| default_wikis()),
            None => default_wikis(),
        })
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WikiListArgs {
    pub wikis: Vec<KnownWiki>,
}

#[tauri::command]
pub async fn wiki_list_set(state: State<'_, AppState>, args: Args<WikiListArgs>) -> CommandResult<Vec<KnownWiki>> {
    let mut wikis = args.parse()?.wikis;
    for wiki in &mut wikis {
        wiki.name = wiki.name.trim().to_string();
        wiki.api = wiki.api.trim().to_string();
    }
    check_wikis(&wikis)?;
    let json = serde_json::to_string(&wikis).map_err(|e| CommandError::invalid(e.to_string()))?;
    state.with_vault(|v| Ok(v.store().set_preference(WIKIS_PREFERENCE, &json)?))?;
    Ok(wikis)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachedArgs {
    pub api: String,
    pub username: String,
}

/// The wikis a global account is attached to (CentralAuth), or `available: false`.
#[tauri::command]
pub async fn wiki_attached<R: Runtime>(app: AppHandle<R>, args: Args<AttachedArgs>) -> CommandResult<AttachedWikis> {
    let args = args.parse()?;
    // Needs no vault, but only an unlocked app asks: the account names are case data.
    jobs::run(app, None, move |_, _| Ok(mediawiki::attached_wikis(&args.api, &args.username, RetryPolicy::default())?))
        .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub username: String,
    pub apis: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportArgs {
    pub job_id: String,
    pub reference: String,
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    #[serde(default)]
    pub namespaces: Vec<i64>,
    #[serde(default)]
    pub with_content: bool,
}

impl ImportArgs {
    /// One request per wiki, naming every account to fetch there, in the order first named.
    fn requests(&self) -> CommandResult<Vec<ImportRequest>> {
        let mut by_api: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
        for account in &self.accounts {
            if account.apis.is_empty() {
                return Err(CommandError::invalid(format!("choose at least one wiki for {}", account.username)));
            }
            for api in &account.apis {
                let order = by_api.len();
                let entry = by_api.entry(api.trim().to_string()).or_insert((order, Vec::new()));
                entry.1.push(account.username.clone());
            }
        }
        if by_api.is_empty() {
            return Err(CommandError::invalid("name at least one account"));
        }
        let mut ordered: Vec<(String, (usize, Vec<String>))> = by_api.into_iter().collect();
        ordered.sort_by_key(|(_, (order, _))| *order);
        Ok(ordered
            .into_iter()
            .map(|(api, (_, users))| ImportRequest {
                api,
                users,
                since: self.since,
                until: self.until,
                with_content: self.with_content,
                namespaces: self.namespaces.clone(),
            })
            .collect())
    }
}

#[derive(Debug, Serialize)]
pub struct ImportRun {
    pub wikis: Vec<WikiImportResult>,
}

fn sender(on_progress: Channel<ImportUpdate>) -> impl FnMut(&ImportUpdate) -> ControlFlow<()> {
    move |update| {
        let _ = on_progress.send(update.clone());
        ControlFlow::Continue(())
    }
}

#[tauri::command]
pub async fn import_start<R: Runtime>(
    app: AppHandle<R>,
    args: Args<ImportArgs>,
    on_progress: Channel<ImportUpdate>,
) -> CommandResult<ImportRun> {
    let args = args.parse()?;
    let requests = args.requests()?;
    jobs::run(app, Some(args.job_id.clone()), move |v, stop| {
        let options = ImportOptions { cancel: Some(stop.clone()), ..ImportOptions::default() };
        // The cancel flag in `options` stops the import (also mid-request); progress only reports.
        let wikis = v.store().import_wikis(&args.reference, &requests, options, &mut sender(on_progress))?;
        Ok(ImportRun { wikis })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResumeArgs {
    pub job_id: String,
}

/// Runs every queued import again (each adds only what it lacks).
#[tauri::command]
pub async fn import_resume<R: Runtime>(
    app: AppHandle<R>,
    args: Args<ResumeArgs>,
    on_progress: Channel<ImportUpdate>,
) -> CommandResult<ImportRun> {
    let args = args.parse()?;
    jobs::run(app, Some(args.job_id), move |v, stop| {
        let options = ImportOptions { cancel: Some(stop.clone()), ..ImportOptions::default() };
        let mut report = sender(on_progress);
        let wikis = v.store().resume_wiki_imports(options, &mut report)?;
        Ok(ImportRun { wikis })
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    #[serde(default)]
    pub reference: Option<String>,
}

#[tauri::command]
pub async fn import_list(state: State<'_, AppState>, args: Args<ListArgs>) -> CommandResult<Vec<WikiImportRecord>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().wiki_imports(args.reference.as_deref())?))
}

#[tauri::command]
pub async fn interactions_get(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<Interactions> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().interactions(&args.reference)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_become_one_request_per_wiki_in_the_order_named() {
        let args: ImportArgs = serde_json::from_value(serde_json::json!({
            "job_id": "j1",
            "reference": "TS-2026-0001",
            "accounts": [
                { "username": "Vandal One", "apis": ["http://b.test/w/api.php", "http://a.test/w/api.php"] },
                { "username": "Sock Two", "apis": ["http://a.test/w/api.php"] }
            ],
            "namespaces": [0, 3],
            "with_content": true
        }))
        .expect("contract shape");
        let requests = args.requests().expect("valid");
        let summary: Vec<(&str, Vec<&str>)> =
            requests.iter().map(|r| (r.api.as_str(), r.users.iter().map(String::as_str).collect())).collect();
        assert_eq!(
            summary,
            [
                ("http://b.test/w/api.php", vec!["Vandal One"]),
                ("http://a.test/w/api.php", vec!["Vandal One", "Sock Two"])
            ]
        );
        assert!(requests.iter().all(|r| r.with_content && r.namespaces == [0, 3]));
    }

    #[test]
    fn an_account_without_a_wiki_is_refused() {
        let args: ImportArgs = serde_json::from_value(serde_json::json!({
            "job_id": "j1", "reference": "TS-2026-0001", "accounts": [{ "username": "A", "apis": [] }]
        }))
        .expect("contract shape");
        assert_eq!(args.requests().expect_err("no wiki").code, "invalid_input");
    }

    #[test]
    fn known_wikis_must_be_api_addresses() {
        assert!(check_wikis(&default_wikis()).is_ok());
        let bad = [KnownWiki { name: "x".into(), api: "https://example.org/wiki/Main_Page".into() }];
        assert_eq!(check_wikis(&bad).expect_err("not api.php").code, "invalid_input");
        let unnamed = [KnownWiki { name: " ".into(), api: "https://example.org/w/api.php".into() }];
        assert!(check_wikis(&unnamed).is_err());
    }
}
