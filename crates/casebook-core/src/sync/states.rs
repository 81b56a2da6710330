//! `sync run` as a whole, and each case's place in the review cycle as the server reports it,
//! every transition's signature checked against the key directory.

use casebook_protocol::{review::ReviewState, types::CaseReview};
use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::sync::atomic::AtomicBool;

use super::{Client, DirectorySync, OpenedDecision, OutboxItem};
use crate::{Error, Result, Vault, cancel, model::CaseStatus, store::CaseUpdate, time};

/// What one `sync run` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// The server could not be reached; whatever is queued stays queued.
    pub offline: bool,
    pub pushed: Vec<OutboxItem>,
    pub refused: Vec<OutboxItem>,
    pub directory: Option<DirectorySync>,
    pub inbox_new: usize,
    pub decisions: Vec<OpenedDecision>,
    pub cases: Vec<CaseState>,
    pub notices: Vec<String>,
}

/// A case's review as last pulled.
#[derive(Debug, Clone, Serialize)]
pub struct CaseState {
    pub case_id: String,
    /// The local case (one's own, or a received copy), when there is one.
    pub case_reference: Option<String>,
    pub state: String,
    pub approvals: Vec<String>,
    pub approvals_needed: u32,
    pub transitions: usize,
    /// Every transition is signed by a device in the key directory, over this case, this
    /// decision and this bundle's hash.
    pub verified: bool,
    /// Transitions whose signature could not be checked, and why.
    pub unverified: Vec<String>,
}

fn status_for(state: ReviewState) -> Option<CaseStatus> {
    Some(match state {
        ReviewState::Submitted => CaseStatus::Submitted,
        ReviewState::InReview => CaseStatus::InReview,
        ReviewState::ChangesRequested => CaseStatus::ChangesRequested,
        ReviewState::ModificationProposed => CaseStatus::ModificationProposed,
        ReviewState::Approved => CaseStatus::Approved,
        ReviewState::Declined => CaseStatus::Declined,
        ReviewState::ActionRecorded => CaseStatus::ActionRecorded,
        ReviewState::Closed => CaseStatus::Closed,
        ReviewState::CommitteeReview | ReviewState::Upheld | ReviewState::Overturned => return None,
    })
}

impl Vault {
    /// Pushes the outbox, then pulls the key directory, the inbox (opening decisions) and the
    /// state of every case this vault has sent or received. Offline, it stops at the first
    /// unreachable request and says so; run it again later. Setting `stop` ends it between
    /// steps with [`Error::Cancelled`]; what was done stays done.
    pub fn sync_run(&self, stop: &AtomicBool) -> Result<SyncReport> {
        let client = self.store().client()?;
        let mut report = SyncReport::default();
        let outcome = (|| -> Result<()> {
            self.push_outbox(&client, &mut report, stop)?;
            if report.offline {
                return Ok(());
            }
            cancel::check(stop)?;
            report.directory = Some(self.store().sync_directory_with(&client)?);
            cancel::check(stop)?;
            self.pull_inbox(&client, &mut report)?;
            cancel::check(stop)?;
            self.pull_states(&client, &mut report)
        })();
        match outcome {
            Err(e) if e.code() == "server_unreachable" => report.offline = true,
            other => other?,
        }
        Ok(report)
    }

    fn pull_states(&self, client: &Client, report: &mut SyncReport) -> Result<()> {
        let store = self.store();
        let case_ids: Vec<String> = {
            let mut stmt = store.conn.prepare(
                "SELECT case_id FROM outbox UNION SELECT case_id FROM received_bundles UNION SELECT case_id FROM sealed_bundles",
            )?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        for case_id in case_ids {
            match self.pull_state(client, &case_id) {
                Ok(Some(state)) => report.cases.push(state),
                Ok(None) => {}
                Err(Error::Remote { code: "server_refused", message }) => report.notices.push(message),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Pulls one case's review and records it, its transitions checked against the key
    /// directory; None when the server does not show this vault the case.
    pub(super) fn pull_state(&self, client: &Client, case_id: &str) -> Result<Option<CaseState>> {
        let store = self.store();
        let review: CaseReview = match client.json(reqwest::Method::GET, &format!("/v1/cases/{case_id}"), b"") {
            Ok(review) => review,
            Err(e) if e.code() == "server_refused" => return Ok(None),
            Err(e) => return Err(e),
        };
        if review.case_id != case_id {
            return Err(Error::Remote {
                code: "server_refused",
                message: format!("the server answered about another case than {case_id}"),
            });
        }
        let unverified: Vec<String> =
            review.history.iter().filter_map(|t| super::chain::unverified(&store, case_id, t)).collect();
        self.record_state(&review, &unverified).map(Some)
    }

    fn record_state(&self, review: &CaseReview, unverified: &[String]) -> Result<CaseState> {
        let store = self.store();
        let history = serde_json::to_string(review).map_err(|e| Error::invalid(e.to_string()))?;
        store.conn.execute(
            "INSERT INTO review_states(case_id, state, history, verified, synced_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, history = excluded.history,
                 verified = excluded.verified, synced_at = excluded.synced_at",
            params![review.case_id, review.state.as_str(), history, unverified.is_empty(), time::to_db(&Utc::now())],
        )?;
        let own: Option<(String, String)> = store
            .conn
            .query_row("SELECT reference, status FROM cases WHERE id = ?1 AND origin = ''", [&review.case_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let (Some((reference, status)), Some(next)) = (&own, status_for(review.state))
            && unverified.is_empty()
            && status != next.as_str()
        {
            store.update_case(reference, &CaseUpdate { status: Some(next), ..Default::default() })?;
        }
        if own.is_some() && unverified.is_empty() && review.state == ReviewState::Overturned {
            self.record_overturn(review)?;
        }
        let reference = match own {
            Some((reference, _)) => Some(reference),
            None => store
                .conn
                .query_row(
                    "SELECT c.reference FROM received_bundles r JOIN cases c ON c.id = r.local_case_id
                     WHERE r.case_id = ?1 ORDER BY r.sequence DESC LIMIT 1",
                    [&review.case_id],
                    |r| r.get(0),
                )
                .optional()?,
        };
        Ok(CaseState {
            case_id: review.case_id.clone(),
            case_reference: reference,
            state: review.state.as_str().to_string(),
            approvals: review.approvals.clone(),
            approvals_needed: review.approvals_needed,
            transitions: review.history.len(),
            verified: unverified.is_empty(),
            unverified: unverified.to_vec(),
        })
    }

    /// The committee overturned the case's office action: the register says so, with the
    /// committee's rationales as this vault could read them.
    fn record_overturn(&self, review: &CaseReview) -> Result<()> {
        let store = self.store();
        let Some(at) = review.history.iter().rev().find(|t| t.to == ReviewState::Overturned).map(|t| t.at) else {
            return Ok(());
        };
        let mut stmt = store.conn.prepare(
            "SELECT rationale FROM review_decisions WHERE case_id = ?1 AND decision = 'overturn' ORDER BY decided_at",
        )?;
        let rationales =
            stmt.query_map([&review.case_id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let at = chrono::DateTime::<Utc>::from_timestamp(at, 0).unwrap_or_else(Utc::now);
        store.overturn_office_action(&review.case_id, &rationales.join("\n\n"), at)?;
        Ok(())
    }

    /// The review of a local case (one's own or a received copy) as last pulled, with its
    /// history, or None if it was never pulled.
    pub fn review_status(&self, reference: &str) -> Result<Option<(CaseReview, bool)>> {
        let store = self.store();
        let case = store.case(reference)?;
        let case_id: String = if case.is_received() {
            store.conn.query_row(
                "SELECT case_id FROM received_bundles WHERE local_case_id = ?1 ORDER BY sequence DESC LIMIT 1",
                [&case.id],
                |r| r.get(0),
            )?
        } else {
            case.id
        };
        let row: Option<(String, bool)> = store
            .conn
            .query_row("SELECT history, verified FROM review_states WHERE case_id = ?1", [&case_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        row.map(|(history, verified)| {
            serde_json::from_str(&history)
                .map(|h| (h, verified))
                .map_err(|_| Error::CorruptVault("a stored review state is unreadable".into()))
        })
        .transpose()
    }
}
