//! The tiered review chain as this vault sees it: the server's signed policies, a case's
//! levels and history with the rationales this vault can read (its own, and those of decision
//! bundles it opened), divergences and committee votes; and appeals, sealed with the case to
//! the case review committee.

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::BundleKind;
use casebook_protocol::{
    policy::{Declaration, Party, PartyRole, ReviewPolicy, SignedPolicy, party_hash},
    review::{Decision, ReviewState},
    types::{CaseReview, Directory},
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::{collections::HashMap, sync::atomic::AtomicBool};

use super::{Client, OutboxItem};
use crate::{
    Error, Result, Vault,
    model::{ActionKind, OfficeAction},
    store::NewOfficeAction,
};

/// A policy as the server serves it, with who signed it as this vault can tell.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    #[serde(flatten)]
    pub policy: ReviewPolicy,
    /// The signing admin's name; "" for the server's built-in default.
    pub signed_by: String,
    /// The signature verifies with a device the key directory lists for an admin.
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainLevel {
    pub role: String,
    pub required: u32,
    pub approvals: Vec<String>,
    /// done, current or pending.
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainStep {
    pub seq: u64,
    pub at: i64,
    pub actor_user: String,
    pub decision: Decision,
    pub from: Option<ReviewState>,
    pub to: ReviewState,
    pub level: Option<u32>,
    /// From the signed decision bundle, when this vault wrote or opened it.
    pub rationale: Option<String>,
}

/// A modification a level proposed, and how the author answered it.
#[derive(Debug, Clone, Serialize)]
pub struct Divergence {
    pub level: u32,
    pub proposed_by: String,
    pub proposal: Option<String>,
    /// accepted, kept (the divergence carried on) or pending.
    pub response: &'static str,
    pub author_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainVote {
    pub user: String,
    pub decision: Decision,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainView {
    pub case_id: String,
    pub author_user: String,
    pub state: ReviewState,
    pub kind: Option<String>,
    pub policy: ReviewPolicy,
    pub level: u32,
    pub levels: Vec<ChainLevel>,
    pub history: Vec<ChainStep>,
    pub divergences: Vec<Divergence>,
    pub committee: Vec<ChainVote>,
    pub appeal_deadline: Option<String>,
    /// The server could not be reached: this is the copy of the last sync.
    pub offline: bool,
    /// Every transition's signature verified against the key directory.
    pub verified: bool,
}

fn rfc3339(secs: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp(secs, 0).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The levels, the divergences and the votes, read off the server's history.
fn chain_view(review: CaseReview, rationales: &HashMap<String, String>, offline: bool, verified: bool) -> ChainView {
    let history: Vec<ChainStep> = review
        .history
        .iter()
        .map(|t| ChainStep {
            seq: t.seq,
            at: t.at,
            actor_user: t.actor_user.clone(),
            decision: t.decision,
            from: t.from,
            to: t.to,
            level: t.level,
            rationale: rationales.get(&t.bundle_id).cloned(),
        })
        .collect();
    let past_chain = !matches!(
        review.state,
        ReviewState::Submitted
            | ReviewState::InReview
            | ReviewState::ChangesRequested
            | ReviewState::ModificationProposed
    );
    let levels = review
        .policy
        .levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let mut approvals: Vec<String> = history
                .iter()
                .filter(|s| s.level == Some(i as u32))
                .filter(|s| matches!(s.decision, Decision::Approve | Decision::ProposeModification))
                .map(|s| s.actor_user.clone())
                .collect();
            approvals.dedup();
            let i = i as u32;
            let status = if i < review.level || (past_chain && review.level as usize >= review.policy.levels.len()) {
                "done"
            } else if i == review.level && !past_chain {
                "current"
            } else {
                "pending"
            };
            ChainLevel { role: level.role.clone(), required: level.required, approvals, status }
        })
        .collect();
    let divergences = history
        .iter()
        .enumerate()
        .filter(|(_, s)| s.decision == Decision::ProposeModification)
        .map(|(i, proposal)| {
            let answer = history[i + 1..]
                .iter()
                .find(|s| matches!(s.decision, Decision::AcceptModification | Decision::KeepPosition));
            Divergence {
                level: proposal.level.unwrap_or(0),
                proposed_by: proposal.actor_user.clone(),
                proposal: proposal.rationale.clone(),
                response: match answer.map(|a| a.decision) {
                    Some(Decision::AcceptModification) => "accepted",
                    Some(_) => "kept",
                    None => "pending",
                },
                author_note: answer.and_then(|a| a.rationale.clone()),
            }
        })
        .collect();
    ChainView {
        case_id: review.case_id,
        author_user: review.author_user,
        state: review.state,
        kind: review.kind,
        level: review.level,
        levels,
        divergences,
        committee: review.committee.into_iter().map(|v| ChainVote { user: v.user, decision: v.decision }).collect(),
        appeal_deadline: review.appeal_deadline.and_then(rfc3339),
        policy: review.policy,
        history,
        offline,
        verified,
    }
}

impl Vault {
    /// The server's case id for a local case: its own id, or the author's for a received copy.
    pub(crate) fn server_case_id(&self, reference: &str) -> Result<String> {
        let store = self.store();
        let case = store.case_as_named(reference)?;
        if !case.is_received() {
            return Ok(case.id);
        }
        Ok(store.conn.query_row(
            "SELECT case_id FROM received_bundles WHERE local_case_id = ?1 ORDER BY sequence DESC LIMIT 1",
            [&case.id],
            |r| r.get(0),
        )?)
    }

    /// The case's review chain: fresh from the server when it answers, else as last synced.
    pub fn review_chain(&self, reference: &str) -> Result<ChainView> {
        let store = self.store();
        let case_id = self.server_case_id(reference)?;
        let offline = match store.client().and_then(|client| self.pull_state(&client, &case_id)) {
            Ok(_) => false,
            Err(e) if matches!(e.code(), "server_unreachable" | "server_refused") => true,
            Err(e) => return Err(e),
        };
        let local = store.case_as_named(reference)?.reference;
        let (review, verified) = self.review_status(&local)?.ok_or_else(|| {
            Error::invalid(format!("{reference} has no review on the server yet (submit it, or sync while online)"))
        })?;
        let mut rationales = HashMap::new();
        let mut stmt = store.conn.prepare(
            "SELECT bundle_id, rationale FROM outbox WHERE case_id = ?1 AND rationale <> ''
             UNION ALL SELECT bundle_id, rationale FROM review_decisions WHERE case_id = ?1",
        )?;
        for row in stmt.query_map([&case_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (bundle, rationale) = row?;
            rationales.insert(bundle, rationale);
        }
        Ok(chain_view(review, &rationales, offline, verified))
    }

    /// The review policies the server holds, each checked against the key directory: signed by
    /// an unrevoked device of a person with the admin role.
    pub fn review_policies(&self) -> Result<Vec<PolicyView>> {
        let store = self.store();
        let client = store.client()?;
        let policies: Vec<SignedPolicy> = client.json(reqwest::Method::GET, "/v1/policies", b"")?;
        let directory: Directory = client.json(reqwest::Method::GET, "/v1/directory", b"")?;
        Ok(policies
            .into_iter()
            .map(|signed| {
                let signer = directory.people.iter().find_map(|person| {
                    let device = person.devices.iter().find(|d| d.fingerprint == signed.signed_by)?;
                    let admin = person.roles.iter().any(|r| r == "admin") && !person.revoked && !device.revoked;
                    Some((person.name.clone(), admin && signed.verifies(&device.identity)))
                });
                let (signed_by, verified) = signer.unwrap_or_default();
                PolicyView { policy: signed.policy, signed_by, verified }
            })
            .collect())
    }

    /// Signs `policy` with this vault's identity and sets it on the server (an admin's vault).
    pub fn set_review_policy(&self, policy: ReviewPolicy) -> Result<PolicyView> {
        if let Some(problem) = policy.problem() {
            return Err(Error::invalid(problem));
        }
        let store = self.store();
        let identity = store.identity()?;
        let signed = SignedPolicy::sign(policy, &identity);
        let body = serde_json::to_vec(&signed).map_err(|e| Error::invalid(e.to_string()))?;
        let stored: SignedPolicy = store.client()?.json(reqwest::Method::PUT, "/v1/policies", &body)?;
        let signed_by = store.enrolment()?.map(|(_, user)| user).unwrap_or_default();
        Ok(PolicyView { policy: stored.policy, signed_by, verified: true })
    }

    /// Queues an office action for the server with the parties it concerns (hashed: the server
    /// can check an appellant without learning names). `sanctioned` are the accounts it applies
    /// to; `requesting` who asked for it. Both empty: the case's reported parties and reporters.
    pub fn queue_office_action(
        &self,
        reference: &str,
        decision: Decision,
        rationale: &str,
        sanctioned: &[String],
        requesting: &[String],
    ) -> Result<OutboxItem> {
        if !decision.is_office_action() {
            return Err(Error::invalid(format!("{decision} is not an office action")));
        }
        let store = self.store();
        let case = store.writable_case(reference)?;
        let (sanctioned, requesting) = if sanctioned.is_empty() && requesting.is_empty() {
            let subjects = store.subjects(&case.reference, false)?;
            let named =
                |role| subjects.iter().filter(|s| s.role == role).map(|s| s.username.clone()).collect::<Vec<_>>();
            (named(crate::model::SubjectRole::ReportedParty), named(crate::model::SubjectRole::Reporter))
        } else {
            (sanctioned.to_vec(), requesting.to_vec())
        };
        let party = |role, name: &String| Party { role, hash: party_hash(&case.id, name) };
        let mut parties: Vec<Party> = sanctioned.iter().map(|n| party(PartyRole::Sanctioned, n)).collect();
        parties.extend(requesting.iter().map(|n| party(PartyRole::Requesting, n)));
        parties.sort_by(|a, b| (a.role.as_str(), &a.hash).cmp(&(b.role.as_str(), &b.hash)));
        parties.dedup();
        let declared = Declaration { parties, ..Default::default() };
        self.decide_declaring(reference, decision, rationale, &declared)
    }

    /// Records the office action in the register and, when the vault is enrolled with a review
    /// server, queues it there (works offline), naming the accounts it applies to as the
    /// sanctioned parties and the case's reporters as the requesting ones. A vault that never
    /// enrolled keeps the register alone: there is no server to tell.
    pub fn record_and_queue_office_action(
        &self,
        reference: &str,
        new: &NewOfficeAction,
        rationale: &str,
    ) -> Result<(OfficeAction, Option<OutboxItem>)> {
        let store = self.store();
        let enrolled = store.enrolment()?.is_some();
        if enrolled {
            store.client()?;
        }
        let decision = match new.kind {
            ActionKind::GlobalBan => Decision::GlobalBan,
            ActionKind::EventBan => Decision::EventBan,
            ActionKind::ConductWarning => Decision::Warning,
            ActionKind::InteractionBan => Decision::InteractionBan,
            ActionKind::Other => Decision::OtherAction,
        };
        let action = store.record_office_action(reference, new)?;
        if !enrolled {
            return Ok((action, None));
        }
        let sanctioned: Vec<String> = action.accounts.iter().map(|a| a.username.clone()).collect();
        let requesting: Vec<String> = store
            .subjects(&action.case_reference, false)?
            .into_iter()
            .filter(|s| s.role == crate::model::SubjectRole::Reporter)
            .map(|s| s.username)
            .collect();
        let rationale = match rationale.trim() {
            "" => format!("office action: {}", new.kind.as_str().replace('_', " ")),
            given => given.to_string(),
        };
        let item = self.queue_office_action(&action.case_reference, decision, &rationale, &sanctioned, &requesting)?;
        Ok((action, Some(item)))
    }

    /// Records an appeal by `appellant` against the case's office action and seals the case,
    /// with the appeal as its newest note, to the case review committee. Refused here (and by
    /// the server) when the appellant is not a party or the policy's window has closed.
    pub fn record_appeal(
        &self,
        reference: &str,
        appellant: &str,
        role: PartyRole,
        statement: &str,
        progress: &mut dyn FnMut(u64, u64),
        cancel: &AtomicBool,
    ) -> Result<OutboxItem> {
        let store = self.store();
        let client = store.client()?;
        let case = store.writable_case(reference)?;
        if appellant.trim().is_empty() || statement.trim().is_empty() {
            return Err(Error::invalid("an appeal names its appellant and carries their statement"));
        }
        match self.pull_state(&client, &case.id) {
            Err(e) if e.code() != "server_unreachable" => return Err(e),
            _ => {}
        }
        let (review, _) = self
            .review_status(&case.reference)?
            .ok_or_else(|| Error::invalid(format!("{reference} has no office action on record; sync first")))?;
        if !matches!(review.state, ReviewState::ActionRecorded | ReviewState::Closed) {
            return Err(Error::invalid(format!("an appeal follows an office action; {reference} is {}", review.state)));
        }
        let deadline = review
            .appeal_deadline
            .ok_or_else(|| Error::invalid(format!("{reference} has no office action that can be appealed")))?;
        if Utc::now().timestamp() > deadline {
            let closed = rfc3339(deadline).unwrap_or_default();
            return Err(Error::invalid(format!("the appeal window closed on {closed}")));
        }
        let hash = party_hash(&case.id, appellant);
        let parties: Vec<Party> = {
            let mut stmt = store.conn.prepare("SELECT declared FROM outbox WHERE local_case_id = ?1")?;
            let rows = stmt.query_map([&case.id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows.iter().filter_map(|d| serde_json::from_str::<Declaration>(d).ok()).flat_map(|d| d.parties).collect()
        };
        let appellant_party = Party { role, hash };
        if !parties.contains(&appellant_party) {
            return Err(Error::invalid(format!(
                "{appellant} is not a {} party to this case's office action",
                role.as_str()
            )));
        }
        // The committee's keys: the directory as it is now, its devices as trusted contacts.
        store.sync_directory_with(&client)?;
        let directory = store.contacts()?;
        let committee = self.committee_fingerprints(&client)?;
        let mut recipients: Vec<String> =
            committee.into_iter().filter(|fp| directory.iter().any(|c| c.fingerprint == *fp)).collect();
        if recipients.is_empty() {
            return Err(Error::invalid("the key directory names no committee member this vault can seal to"));
        }
        if let Some(archive) = store.meta("sync.archive")? {
            recipients.push(archive);
        }
        let recorded = Utc::now().format("%Y-%m-%d");
        store.add_note(
            &case.reference,
            &format!(
                "**Appeal** by {} ({}), recorded {recorded}\n\n{}",
                appellant.trim(),
                role.as_str(),
                statement.trim()
            ),
        )?;
        let out = self.outbox_dir()?.join(format!("{}.cbundle", uuid::Uuid::now_v7()));
        let envelope = store.seal_case(&case.reference, &recipients, BundleKind::Appeal, &out, progress, cancel)?;
        let declared = Declaration { appellant: Some(appellant_party), ..Default::default() };
        self.queue(&case.id, &envelope, Decision::Appeal, &out, &declared, statement.trim())?;
        self.outbox_item(&envelope.bundle_id)
    }

    /// Every unrevoked device of the committee's members.
    fn committee_fingerprints(&self, client: &Client) -> Result<Vec<String>> {
        let directory: Directory = client.json(reqwest::Method::GET, "/v1/directory", b"")?;
        Ok(directory
            .people
            .iter()
            .filter(|p| !p.revoked && p.roles.iter().any(|r| r == "committee"))
            .flat_map(|p| p.devices.iter().filter(|d| !d.revoked).map(|d| d.fingerprint.clone()))
            .collect())
    }
}

/// Checks a transition's signature against its actor's key; None when it verifies.
pub(super) fn unverified(
    store: &crate::Store<'_>,
    case_id: &str,
    t: &casebook_protocol::types::Transition,
) -> Option<String> {
    use casebook_protocol::review::{DECISION_DOMAIN, decision_message};
    let Some(actor) = store.trusted_signer(&t.actor_device) else {
        return Some(format!("#{} {} by {}: the device is not in the key directory", t.seq, t.decision, t.actor_user));
    };
    let signature = B64.decode(&t.signature).unwrap_or_default();
    let message = decision_message(case_id, t.decision, &t.bundle_sha256);
    (!actor.verifies(DECISION_DOMAIN, &message, &signature))
        .then(|| format!("#{} {} by {}: the signature does not verify", t.seq, t.decision, t.actor_user))
}
