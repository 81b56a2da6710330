//! Runs recorded import requests for several wikis at once in one network runtime: every
//! account's lists on every wiki are fetched concurrently (a bounded number of requests in
//! flight per host), and every page is stored on the caller's thread, one transaction per page,
//! as it arrives. A wiki that stops answering is queued again and a wiki that answers nonsense
//! fails, each without stopping the others. The cancel flag is looked at several times a second,
//! also while requests hang; cancelling drops the requests in flight and keeps what is stored.

use serde_json::Value;
use std::{
    collections::{BTreeMap, HashMap},
    ops::ControlFlow,
    sync::{Arc, atomic::Ordering},
    time::Duration,
};
use tokio::{
    sync::{Semaphore, mpsc},
    task::AbortHandle,
};

use super::{
    ImportOptions, ImportProgress, ImportRequest, ImportState, ImportUpdate, abuselog,
    client::{self, Api, Page},
    content,
    lists::{self, Stream},
    records::{ListKind, Target, store_page},
};
use crate::{Error, Result, Store, model::Case};

/// How often the cancel flag is looked at while waiting for the network.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// One recorded request, ready to run.
pub(crate) struct WikiJob {
    pub import_id: String,
    pub case: Case,
    pub api: Api,
    pub request: ImportRequest,
    pub users: Vec<String>,
    /// The state a cancel leaves the request in: a new import ends `failed`, a resumed one
    /// goes back to `queued` (cancelling a resume must not drop it from the next one).
    pub on_cancel: &'static str,
}

/// How one wiki's import ended.
pub(crate) enum End {
    Done,
    /// The wiki stopped answering: the request stays queued.
    Queued(Error),
    Failed(Error),
}

pub(crate) struct Outcome {
    pub progress: ImportProgress,
    pub end: End,
}

/// What the fetching tasks tell the storing loop.
enum Msg {
    Users(usize, Result<Page>),
    Page(usize, Page),
    /// The list is not offered on this wiki (AbuseFilter missing): said once, then the end.
    NotOffered(usize, String),
    StreamEnd(usize),
    StreamFailed(usize, Error),
}

/// One (wiki, account, list) as progress reports show it.
#[derive(Default)]
struct Row {
    progress: ImportProgress,
    open: usize,
    state: Option<ImportState>,
    message: Option<String>,
}

/// Where one wiki stands.
struct Wiki {
    host: String,
    /// Streams started and not yet at their end.
    open_streams: usize,
    tasks: Vec<AbortHandle>,
    progress: ImportProgress,
    end: Option<End>,
    lists_done: bool,
}

struct Run<'s, 'j> {
    store: &'s Store<'s>,
    jobs: &'j [WikiJob],
    wikis: Vec<Wiki>,
    /// Every stream started so far, with the wiki it belongs to.
    streams: Vec<(usize, Stream)>,
    rows: BTreeMap<(usize, String, &'static str), Row>,
    total: ImportProgress,
    limits: HashMap<String, Arc<Semaphore>>,
    per_host: usize,
    tx: mpsc::Sender<Msg>,
}

/// Runs `jobs`, recording each wiki's end in `wiki_imports` as it comes. `Err` only for a
/// cancel or a local failure (the vault); a wiki's own failure is its outcome.
pub(crate) fn run(
    store: &Store<'_>,
    jobs: &[WikiJob],
    options: &ImportOptions,
    progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>,
) -> Result<Vec<Outcome>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the import's network runtime")(e))?;
    let cancel = options.cancel.clone();
    let cancelled = move || cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed));
    let (tx, mut rx) = mpsc::channel::<Msg>(16);
    let mut run = Run {
        store,
        jobs,
        wikis: jobs
            .iter()
            .map(|j| Wiki {
                host: j.api.host(),
                open_streams: 0,
                tasks: vec![],
                progress: ImportProgress::default(),
                end: None,
                lists_done: false,
            })
            .collect(),
        streams: vec![],
        rows: BTreeMap::new(),
        total: ImportProgress::default(),
        limits: HashMap::new(),
        per_host: options.concurrency.max(1),
        tx,
    };
    let result = runtime.block_on(async {
        for (w, job) in jobs.iter().enumerate() {
            for user in &job.users {
                run.rows.entry((w, user.clone(), "users")).or_default().open = 1;
            }
            let (api, tx, limit) = (job.api.clone(), run.tx.clone(), run.limit(w));
            let params = lists::users_params(&job.users);
            let task = tokio::spawn(async move {
                let page = {
                    let Ok(_permit) = limit.acquire().await else { return };
                    api.get(&params).await
                };
                let _ = tx.send(Msg::Users(w, page)).await;
            });
            run.wikis[w].tasks.push(task.abort_handle());
        }
        let mut ticker = tokio::time::interval(CANCEL_POLL);
        while run.wikis.iter().any(|w| w.end.is_none() && !w.lists_done) {
            tokio::select! {
                msg = rx.recv() => {
                    let Some(msg) = msg else { break };
                    run.handle(msg, progress)?;
                }
                _ = ticker.tick() => {}
            }
            if cancelled() {
                return Err(Error::Cancelled);
            }
        }
        // Content and diffs need the connection at every step, so they run here, wiki by wiki.
        for (w, job) in jobs.iter().enumerate() {
            if run.wikis[w].end.is_some() || !job.request.with_content {
                continue;
            }
            let target = Target {
                conn: store.conn,
                chunks: store.chunks,
                actor: store.actor,
                case: &job.case,
                api: &job.api,
                import_id: &job.import_id,
            };
            let cancel_watch = async {
                loop {
                    ticker.tick().await;
                    if cancelled() {
                        return;
                    }
                }
            };
            let done = tokio::select! {
                done = content::fetch_missing(&target) => done,
                () = cancel_watch => return Err(Error::Cancelled),
            };
            match done {
                Ok(n) => {
                    run.wikis[w].progress.items_stored += n;
                    run.total.items_stored += n;
                    let account = job.users.join(", ");
                    let row = run.rows.entry((w, account.clone(), "contributions")).or_default();
                    row.progress.items_stored = n;
                    row.state = Some(ImportState::Done);
                    row.message = Some("revision content and diffs".into());
                    run.report(w, &account, "contributions", progress)?;
                }
                Err(e @ Error::Remote { .. }) => run.end_wiki(w, e, progress)?,
                Err(e) => return Err(e),
            }
        }
        for w in 0..jobs.len() {
            if run.wikis[w].end.is_none() {
                run.finish(w, End::Done)?;
            }
        }
        Ok(())
    });
    // Whatever is still fetching is dropped with the runtime; a request interrupted here
    // leaves nothing half-stored because nothing of it was stored.
    for wiki in &run.wikis {
        wiki.tasks.iter().for_each(AbortHandle::abort);
    }
    if let Err(e) = result {
        for (wiki, job) in run.wikis.iter().zip(jobs) {
            if wiki.end.is_none() {
                let why = match &e {
                    Error::Cancelled => "cancelled".to_string(),
                    other => other.code().to_string(),
                };
                // The first error is the one to report; a failure to record it must not hide it.
                let state = if matches!(e, Error::Cancelled) { job.on_cancel } else { "failed" };
                let _ = super::requests::mark(store, &job.import_id, state, Some(&why));
            }
        }
        return Err(e);
    }
    Ok(run.wikis.into_iter().map(|w| Outcome { progress: w.progress, end: w.end.unwrap_or(End::Done) }).collect())
}

impl Run<'_, '_> {
    fn limit(&mut self, w: usize) -> Arc<Semaphore> {
        let per_host = self.per_host;
        Arc::clone(self.limits.entry(self.wikis[w].host.clone()).or_insert_with(|| Arc::new(Semaphore::new(per_host))))
    }

    fn handle(&mut self, msg: Msg, progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>) -> Result<()> {
        let w = match &msg {
            Msg::Users(w, _) => *w,
            Msg::Page(s, _) | Msg::NotOffered(s, _) | Msg::StreamEnd(s) | Msg::StreamFailed(s, _) => self.streams[*s].0,
        };
        // Pages still in the channel from a wiki that has ended are dropped unstored.
        if self.wikis[w].end.is_some() {
            return Ok(());
        }
        match msg {
            Msg::Users(w, page) => {
                let facts = page.and_then(|page| parse_users(&page, &self.wikis[w].host));
                let facts = match facts {
                    Ok(facts) => facts,
                    Err(e) => return self.end_wiki(w, e, progress),
                };
                let job = &self.jobs[w];
                self.store.record_users(&job.case, &self.wikis[w].host, &facts)?;
                self.wikis[w].progress.pages_fetched += 1;
                self.total.pages_fetched += 1;
                for user in &job.users {
                    let row = self.rows.entry((w, user.clone(), "users")).or_default();
                    row.progress.pages_fetched = 1;
                    row.open = 0;
                    row.state = Some(ImportState::Done);
                    self.report(w, user, "users", progress)?;
                }
                self.start_streams(w);
            }
            Msg::Page(s, page) => {
                let (w, stream) = (self.streams[s].0, self.streams[s].1.clone());
                let job = &self.jobs[w];
                let target = Target {
                    conn: self.store.conn,
                    chunks: self.store.chunks,
                    actor: self.store.actor,
                    case: &job.case,
                    api: &job.api,
                    import_id: &job.import_id,
                };
                let stored = match store_page(&target, stream.kind, &stream.label, &page) {
                    Ok(stored) => stored,
                    // The page did not parse: its transaction was never opened.
                    Err(e @ Error::Remote { .. }) => return self.end_wiki(w, e, progress),
                    Err(e) => return Err(e),
                };
                let delta =
                    ImportProgress { pages_fetched: 1, items_stored: stored.new, items_already_known: stored.known };
                for p in [&mut self.wikis[w].progress, &mut self.total] {
                    add(p, delta);
                }
                let label = stream.kind.label();
                add(&mut self.rows.entry((w, stream.account.clone(), label)).or_default().progress, delta);
                self.report(w, &stream.account, label, progress)?;
            }
            Msg::NotOffered(s, message) => {
                let (w, stream) = (self.streams[s].0, self.streams[s].1.clone());
                self.rows.entry((w, stream.account.clone(), stream.kind.label())).or_default().message = Some(message);
            }
            Msg::StreamEnd(s) => {
                let (w, stream) = (self.streams[s].0, self.streams[s].1.clone());
                let label = stream.kind.label();
                let row = self.rows.entry((w, stream.account.clone(), label)).or_default();
                row.open -= 1;
                if row.open == 0 {
                    row.state = Some(ImportState::Done);
                    self.report(w, &stream.account, label, progress)?;
                }
                self.wikis[w].open_streams -= 1;
                if self.wikis[w].open_streams == 0 {
                    self.wikis[w].lists_done = true;
                    if !self.jobs[w].request.with_content {
                        self.finish(w, End::Done)?;
                    }
                }
            }
            Msg::StreamFailed(s, e) => {
                let w = self.streams[s].0;
                return self.end_wiki(w, e, progress);
            }
        }
        Ok(())
    }

    fn start_streams(&mut self, w: usize) {
        let job = &self.jobs[w];
        let limit = self.limit(w);
        for stream in lists::streams(&job.request, &job.users) {
            let s = self.streams.len();
            self.rows.entry((w, stream.account.clone(), stream.kind.label())).or_default().open += 1;
            let task = tokio::spawn(follow(s, job.api.clone(), stream.clone(), Arc::clone(&limit), self.tx.clone()));
            self.wikis[w].tasks.push(task.abort_handle());
            self.wikis[w].open_streams += 1;
            self.streams.push((w, stream));
        }
        if self.wikis[w].open_streams == 0 {
            self.wikis[w].lists_done = true;
        }
    }

    /// Ends a wiki's import for `error`: queued when the wiki stopped answering, failed
    /// otherwise; its other streams stop, and every list not yet done says how it ended.
    fn end_wiki(
        &mut self,
        w: usize,
        error: Error,
        progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>,
    ) -> Result<()> {
        let (state, end) = match error {
            e @ Error::Remote { code: "wiki_unreachable", .. } => (ImportState::Queued, End::Queued(e)),
            e => (ImportState::Failed, End::Failed(e)),
        };
        let message = match &end {
            End::Queued(e) | End::Failed(e) => e.to_string(),
            End::Done => String::new(),
        };
        self.wikis[w].tasks.iter().for_each(AbortHandle::abort);
        let open: Vec<(String, &'static str)> = self
            .rows
            .iter()
            .filter(|((rw, _, _), row)| *rw == w && row.state.is_none())
            .map(|((_, account, list), _)| (account.clone(), *list))
            .collect();
        self.finish(w, end)?;
        for (account, list) in open {
            let row = self.rows.entry((w, account.clone(), list)).or_default();
            row.state = Some(state);
            row.message = Some(message.clone());
            self.report(w, &account, list, progress)?;
        }
        Ok(())
    }

    /// Records how a wiki's import ended.
    fn finish(&mut self, w: usize, end: End) -> Result<()> {
        let (state, error) = match &end {
            End::Done => ("done", None),
            End::Queued(e) | End::Failed(e) => {
                (if matches!(end, End::Queued(_)) { "queued" } else { "failed" }, Some(e.to_string()))
            }
        };
        super::requests::mark(self.store, &self.jobs[w].import_id, state, error.as_deref())?;
        self.wikis[w].end = Some(end);
        Ok(())
    }

    fn report(
        &mut self,
        w: usize,
        account: &str,
        list: &'static str,
        progress: &mut dyn FnMut(&ImportUpdate) -> ControlFlow<()>,
    ) -> Result<()> {
        let row = self.rows.entry((w, account.to_string(), list)).or_default();
        let update = ImportUpdate {
            wiki: self.wikis[w].host.clone(),
            account: account.to_string(),
            list,
            pages_fetched: row.progress.pages_fetched,
            items_stored: row.progress.items_stored,
            items_already_known: row.progress.items_already_known,
            state: row.state.unwrap_or(ImportState::Running),
            message: row.message.clone(),
            total: self.total,
        };
        if progress(&update).is_break() {
            return Err(Error::Cancelled);
        }
        Ok(())
    }
}

fn add(to: &mut ImportProgress, delta: ImportProgress) {
    to.pages_fetched += delta.pages_fetched;
    to.items_stored += delta.items_stored;
    to.items_already_known += delta.items_already_known;
}

/// What `list=users` says of each account; an account the wiki does not know fails the wiki's
/// import before anything of it is stored.
fn parse_users(page: &Page, host: &str) -> Result<Vec<(String, Value)>> {
    let listed = page.json.pointer("/query/users").and_then(Value::as_array).ok_or_else(|| Error::Remote {
        code: "wiki_bad_response",
        message: format!("{host} returned no query.users"),
    })?;
    let mut facts = Vec::new();
    for entry in listed {
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("").to_string();
        if entry.get("missing").is_some() || entry.get("invalid").is_some() {
            return Err(Error::NotFound { what: "wiki user", id: format!("{name} on {host}") });
        }
        facts.push((name, entry.clone()));
    }
    Ok(facts)
}

/// Follows one list's continuation to its end, sending each page on.
async fn follow(s: usize, api: Api, stream: Stream, limit: Arc<Semaphore>, out: mpsc::Sender<Msg>) {
    let mut cont: Vec<(String, String)> = vec![("continue".into(), String::new())];
    loop {
        let answer = {
            let Ok(_permit) = limit.acquire().await else { return };
            let mut all = stream.params.clone();
            all.extend(cont.iter().cloned());
            api.get_or_refusal(&all).await
        };
        let page = match answer {
            Ok(Ok(page)) => page,
            Ok(Err(refusal)) if stream.kind == ListKind::AbuseLog => {
                let why = abuselog::not_offered(Err(&refusal)).unwrap_or_default();
                let _ = out.send(Msg::NotOffered(s, why)).await;
                let _ = out.send(Msg::StreamEnd(s)).await;
                return;
            }
            Ok(Err(client::Refusal { code, info })) => {
                let message = format!("{} refused the request: {code}: {info}", api.host());
                let _ = out.send(Msg::StreamFailed(s, Error::Remote { code: "wiki_api_error", message })).await;
                return;
            }
            Err(e) => {
                let _ = out.send(Msg::StreamFailed(s, e)).await;
                return;
            }
        };
        if stream.kind == ListKind::AbuseLog
            && let Some(why) = abuselog::not_offered(Ok(&page.json))
        {
            let _ = out.send(Msg::NotOffered(s, why)).await;
            let _ = out.send(Msg::StreamEnd(s)).await;
            return;
        }
        let next = page.json.get("continue").and_then(Value::as_object).cloned();
        if out.send(Msg::Page(s, page)).await.is_err() {
            return;
        }
        match next {
            Some(map) => {
                cont = map
                    .into_iter()
                    .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                    .collect();
            }
            None => {
                let _ = out.send(Msg::StreamEnd(s)).await;
                return;
            }
        }
    }
}
