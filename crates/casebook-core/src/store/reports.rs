//! The intake queue: reports as they arrive (a general abuse report, a threat of harm, a
//! child-protection report, a DMCA notice), triaged (acknowledged, given a severity, assigned)
//! and then opened as a case, merged into one, or declined with a reason.
//!
//! What a report hides: its reporter's contact is non-public, and a child-protection report's
//! text is restricted. Both come back hidden (`"[redacted]"`, `None`) unless the report is
//! revealed with a reason, which is recorded like a subject's reveal (it shows in
//! [`Store::access_log`]). Neither goes into an error message, the search index (reports have
//! none), or an audit row's payload: report rows are audited with the redacted view, because the
//! hash of a short contact could be checked against guesses by anyone who reads the chain.
//!
//! Opening a report as a case (or merging it into one) makes its text an evidence item (kind
//! `note`, a `text/plain` file) and each attachment an evidence item with the same SHA-256 and
//! the same chunks. Evidence rather than a note: evidence keeps a hash, a capture time and a
//! sensitivity, so a restricted report's text stays restricted in the case (never indexed, never
//! shown without an audited click). The reporter's contact stays on the report only.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::{collections::HashMap, path::Path};

use super::{
    NewCase, Store, cases,
    evidence::{self, StoredContent},
    new_id, parse_col, payload, reveal, time_col,
};
use crate::{
    Error, Result, audit, mime,
    model::{
        Case, CaseKind, Evidence, EvidenceKind, Priority, Report, ReportAttachment, ReportChannel, ReportState,
        Sensitivity,
    },
    time,
};

/// The preference holding the minutes allowed between an emergency report's receipt and its
/// first action.
pub const EMERGENCY_TARGET_PREF: &str = "intake.emergency_target_minutes";
pub const DEFAULT_EMERGENCY_TARGET_MINUTES: u32 = 60;
/// A week: a longer target is not an emergency's.
const MAX_TARGET_MINUTES: u32 = 7 * 24 * 60;

const REDACTED: &str = "[redacted]";
const MAX_TEXT_CHARS: usize = 200_000;
const MAX_CONTACT_CHARS: usize = 500;
const MAX_DECLINE_CHARS: usize = 2_000;
/// A report may be entered a little ahead of this machine's clock (another machine's), not more.
const CLOCK_SKEW: Duration = Duration::minutes(5);

#[derive(Debug, Clone)]
pub struct NewReport {
    /// When the report reached the team; now when `None`.
    pub received_at: Option<DateTime<Utc>>,
    pub channel: ReportChannel,
    /// Who sent it: a name, a username, or "anonymous".
    pub reporter: String,
    /// How to reach the reporter (non-public).
    pub reporter_contact: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ReportFilter {
    /// Also list reports already opened, merged or declined (after the open ones).
    pub include_closed: bool,
}

const COLUMNS: &str = "r.id, r.received_at, r.channel, r.state, r.reporter, r.reporter_contact, r.text, r.restricted,
    r.acknowledged_by, r.acknowledged_at, r.severity, r.severity_reason, r.assignee, r.assisting, r.due_at,
    c.reference, r.decline_reason, r.first_action_at, r.case_id";

/// A report as stored: nothing hidden, flags not yet computed.
struct Stored {
    report: Report,
    case_id: Option<String>,
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    let severity: Option<i64> = row.get(10)?;
    Ok(Stored {
        report: Report {
            id: row.get(0)?,
            received_at: time_col(row, 1)?,
            channel: parse_col(row, 2)?,
            state: parse_col(row, 3)?,
            reporter: row.get(4)?,
            reporter_contact: row.get(5)?,
            text: Some(row.get(6)?),
            restricted: row.get(7)?,
            acknowledged_by: row.get(8)?,
            acknowledged_at: cases::opt_time_col(row, 9)?,
            severity: severity.and_then(|s| u8::try_from(s).ok()),
            severity_reason: row.get(11)?,
            assignee: row.get(12)?,
            assisting: cases::names_col(row, 13)?,
            due_at: cases::opt_time_col(row, 14)?,
            case_reference: row.get(15)?,
            decline_reason: row.get(16)?,
            attachments: Vec::new(),
            first_action_at: cases::opt_time_col(row, 17)?,
            target_secs: None,
            overdue: false,
            urgent: false,
        },
        case_id: row.get(18)?,
    })
}

/// The report as shown without a reveal: the contact replaced, restricted text withheld.
fn redacted(mut report: Report) -> Report {
    report.reporter_contact = report.reporter_contact.map(|_| REDACTED.to_string());
    if report.restricted {
        report.text = None;
    }
    report
}

/// Sets the clock-dependent fields at `now`, with `target_secs` allowed to an emergency.
fn with_flags(mut report: Report, target_secs: i64, now: DateTime<Utc>) -> Report {
    let open = !report.state.is_closed();
    let emergency = report.channel == ReportChannel::Emergency;
    let waiting = open && emergency && report.first_action_at.is_none();
    report.target_secs = emergency.then_some(target_secs);
    report.urgent = waiting;
    let past_due = report.due_at.is_some_and(|due| due < now);
    let past_target = waiting && now - report.received_at > Duration::seconds(target_secs);
    report.overdue = open && (past_due || past_target);
    report
}

/// Queue order: open before closed; emergencies nobody has acted on, oldest first; then the
/// overdue; then by severity (1 first, none last); then oldest first.
fn queue_key(report: &Report) -> (bool, u8, u8, DateTime<Utc>) {
    let group = if report.urgent {
        0
    } else if report.overdue {
        1
    } else {
        2
    };
    let severity = if report.urgent { 0 } else { report.severity.unwrap_or(u8::MAX) };
    (report.state.is_closed(), group, severity, report.received_at)
}

/// A case's priority for a report's severity, when it is more urgent than the kind's default.
fn priority_for(kind: CaseKind, severity: Option<u8>) -> Priority {
    let rank = |p: Priority| Priority::ALL.iter().position(|q| *q == p).unwrap_or(0);
    let from_severity = match severity {
        Some(1) => Priority::Urgent,
        Some(2) => Priority::High,
        Some(3) => Priority::Normal,
        _ => Priority::Low,
    };
    let default = kind.default_priority();
    if rank(from_severity) > rank(default) { from_severity } else { default }
}

fn required<'t>(text: &'t str, max: usize, missing: &str, what: &str) -> Result<&'t str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid(missing));
    }
    if text.chars().count() > max {
        return Err(Error::invalid(format!("{what} is at most {max} characters")));
    }
    Ok(text)
}

fn load_attachments(conn: &Connection, report_id: Option<&str>) -> Result<HashMap<String, Vec<ReportAttachment>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT report_id, id, name, sha256, size, mime FROM report_attachments
         WHERE ?1 IS NULL OR report_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([report_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ReportAttachment {
                id: r.get(1)?,
                name: r.get(2)?,
                sha256: r.get(3)?,
                size: r.get::<_, i64>(4)? as u64,
                mime: r.get(5)?,
            },
        ))
    })?;
    let mut out: HashMap<String, Vec<ReportAttachment>> = HashMap::new();
    for row in rows {
        let (report_id, attachment) = row?;
        out.entry(report_id).or_default().push(attachment);
    }
    Ok(out)
}

/// Writes every field triage can change.
fn save(tx: &Connection, stored: &Stored) -> Result<()> {
    let r = &stored.report;
    tx.execute(
        "UPDATE reports SET state = ?2, acknowledged_by = ?3, acknowledged_at = ?4, severity = ?5,
         severity_reason = ?6, assignee = ?7, assisting = ?8, due_at = ?9, case_id = ?10, decline_reason = ?11,
         first_action_at = ?12 WHERE id = ?1",
        params![
            r.id,
            r.state.as_str(),
            r.acknowledged_by,
            r.acknowledged_at.as_ref().map(time::to_db),
            r.severity,
            r.severity_reason,
            r.assignee,
            cases::names_json(&r.assisting),
            r.due_at.as_ref().map(time::to_db),
            stored.case_id,
            r.decline_reason,
            r.first_action_at.as_ref().map(time::to_db),
        ],
    )?;
    Ok(())
}

/// Now, at the precision the vault stores (microseconds), so what a call returns equals what a
/// later read gives.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl Store<'_> {
    /// Minutes allowed from an emergency report's receipt to its first action.
    pub fn intake_target_minutes(&self) -> Result<u32> {
        Ok(self
            .preference(EMERGENCY_TARGET_PREF)?
            .and_then(|v| v.parse().ok())
            .filter(|m| (1..=MAX_TARGET_MINUTES).contains(m))
            .unwrap_or(DEFAULT_EMERGENCY_TARGET_MINUTES))
    }

    /// Sets the emergency target (1 minute to a week); audited like every preference.
    pub fn set_intake_target_minutes(&self, minutes: u32) -> Result<u32> {
        if !(1..=MAX_TARGET_MINUTES).contains(&minutes) {
            return Err(Error::invalid(format!(
                "the emergency target is 1 to {MAX_TARGET_MINUTES} minutes (a week), not {minutes}"
            )));
        }
        self.set_preference(EMERGENCY_TARGET_PREF, &minutes.to_string())?;
        Ok(minutes)
    }

    /// Enters a report into the queue. A child-protection report is restricted from the start.
    pub fn report_add(&self, new: &NewReport) -> Result<Report> {
        let reporter = required(
            &new.reporter,
            200,
            "say who sent the report (a name, a username, or \"anonymous\")",
            "a reporter's name",
        )?;
        let contact = match new.reporter_contact.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) if c.chars().count() > MAX_CONTACT_CHARS => {
                return Err(Error::invalid(format!("a reporter's contact is at most {MAX_CONTACT_CHARS} characters")));
            }
            other => other,
        };
        let text = required(&new.text, MAX_TEXT_CHARS, "a report needs its text", "a report's text")?;
        let now = now();
        let received_at = new.received_at.map_or(now, |at| at.trunc_subsecs(6));
        if received_at > now + CLOCK_SKEW {
            return Err(Error::invalid("a report cannot be received in the future; check received_at"));
        }
        let id = new_id();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO reports(id, received_at, channel, state, reporter, reporter_contact, text, restricted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                time::to_db(&received_at),
                new.channel.as_str(),
                ReportState::New.as_str(),
                reporter,
                contact,
                text,
                new.channel == ReportChannel::ChildProtection
            ],
        )?;
        let report = self.report_in(&tx, &id)?;
        audit::append(&tx, self.actor, "report.add", None, &id, &payload(&redacted(report.report.clone())))?;
        tx.commit()?;
        self.shown(report.report, false)
    }

    /// The queue, most pressing first (see the module's order).
    pub fn reports(&self, filter: &ReportFilter) -> Result<Vec<Report>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM reports r LEFT JOIN cases c ON c.id = r.case_id
             WHERE ?1 OR r.state IN ('new', 'acknowledged') ORDER BY r.seq"
        ))?;
        let stored = stmt.query_map([filter.include_closed], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut attachments = load_attachments(self.conn, None)?;
        let target = i64::from(self.intake_target_minutes()?) * 60;
        let now = Utc::now();
        let mut reports: Vec<Report> = stored
            .into_iter()
            .map(|s| {
                let mut report = s.report;
                report.attachments = attachments.remove(&report.id).unwrap_or_default();
                with_flags(redacted(report), target, now)
            })
            .collect();
        reports.sort_by_key(queue_key);
        Ok(reports)
    }

    /// One report, its hidden parts hidden.
    pub fn report(&self, id: &str) -> Result<Report> {
        let stored = self.report_in(self.conn, id)?;
        self.shown(stored.report, false)
    }

    /// One report with its reporter's contact and (when restricted) its text, recorded in the
    /// audit chain together with `reason`, as a subject's reveal is.
    pub fn report_reveal(&self, id: &str, reason: &str) -> Result<Report> {
        let reason = reveal::access_reason(reason, "say why the report's contact or restricted text is needed")?;
        let stored = self.report_in(self.conn, id)?;
        let tx = self.tx()?;
        reveal::record_access(&tx, self.actor, "report.reveal", stored.case_id.as_deref(), id, reason)?;
        tx.commit()?;
        self.shown(stored.report, true)
    }

    /// Records that someone has seen the report and taken it on.
    pub fn report_acknowledge(&self, id: &str) -> Result<Report> {
        self.triage(id, "acknowledged", "report.acknowledge", |r, actor, now| {
            if r.state == ReportState::Acknowledged {
                return Err(Error::invalid(format!(
                    "report {} was already acknowledged by {}",
                    r.id,
                    r.acknowledged_by.as_deref().unwrap_or("someone")
                )));
            }
            r.state = ReportState::Acknowledged;
            r.acknowledged_by = Some(actor.to_string());
            r.acknowledged_at = Some(now);
            Ok(())
        })
    }

    /// Gives the report a severity, 1 (most severe) to 4, with the reason for it.
    pub fn report_prioritise(&self, id: &str, severity: u8, reason: &str) -> Result<Report> {
        if !(1..=4).contains(&severity) {
            return Err(Error::invalid(format!("severity is 1 (most severe) to 4 (least), not {severity}")));
        }
        let reason = required(reason, 500, "say why the report has this severity", "a severity's reason")?;
        self.triage(id, "prioritised", "report.prioritise", |r, _, _| {
            r.severity = Some(severity);
            r.severity_reason = reason.to_string();
            Ok(())
        })
    }

    /// Sets who leads the report (`""`: nobody), who assists, and when it is due; each replaces
    /// what was there.
    pub fn report_assign(
        &self,
        id: &str,
        assignee: &str,
        assisting: &[String],
        due_at: Option<DateTime<Utc>>,
    ) -> Result<Report> {
        let assignee = cases::person_name(assignee, "assignee")?;
        let assisting = cases::assisting_names(assisting)?;
        self.triage(id, "assigned", "report.assign", |r, _, _| {
            r.assignee = assignee;
            r.assisting = assisting;
            r.due_at = due_at.map(|at| at.trunc_subsecs(6));
            Ok(())
        })
    }

    /// Keeps the file at `path` with the report, in the vault's encrypted content store.
    pub fn report_attach(&self, id: &str, path: &Path) -> Result<Report> {
        let (mut file, name) = evidence::open_file(path)?;
        let stored = self.report_in(self.conn, id)?;
        refuse_closed(&stored.report, "given attachments")?;
        let tx = self.tx()?;
        let content = evidence::store_content(&tx, self.chunks, &mut file)?;
        let attachment = ReportAttachment {
            id: new_id(),
            mime: mime::sniff(&content.head, &name).to_string(),
            name,
            sha256: content.sha256.clone(),
            size: content.size,
        };
        let seq: i64 = tx.query_row(
            "INSERT INTO report_attachments(id, report_id, name, sha256, size, mime, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING seq",
            params![
                attachment.id,
                id,
                attachment.name,
                attachment.sha256,
                attachment.size as i64,
                attachment.mime,
                time::to_db(&now())
            ],
            |r| r.get(0),
        )?;
        let mut link = tx.prepare_cached(
            "INSERT INTO report_attachment_chunks(attachment_seq, idx, chunk_hash) VALUES (?1, ?2, ?3)",
        )?;
        for (idx, hash) in content.chunks.iter().enumerate() {
            link.execute(params![seq, idx as i64, hash.as_slice()])?;
        }
        drop(link);
        audit::append(&tx, self.actor, "report.attach", stored.case_id.as_deref(), id, &payload(&attachment))?;
        tx.commit()?;
        self.report(id)
    }

    /// Opens a new case from the report: its kind from the channel unless `kind` is given, the
    /// report's assignee, assisting and due date, its text and attachments as evidence. A
    /// restricted report makes a case whose new evidence is restricted by default.
    pub fn report_open_case(&self, id: &str, title: &str, kind: Option<CaseKind>) -> Result<Case> {
        let mut stored = self.report_in(self.conn, id)?;
        refuse_closed(&stored.report, "opened as a case")?;
        let report = &stored.report;
        let kind = kind.unwrap_or_else(|| report.channel.case_kind());
        let new = NewCase {
            title: title.to_string(),
            kind,
            priority: Some(priority_for(kind, report.severity)),
            summary: format!(
                "Opened from intake report {} ({} channel, received {}).",
                report.id,
                report.channel,
                report.received_at.format("%Y-%m-%d %H:%M UTC")
            ),
        };
        let tx = self.tx()?;
        let case = cases::create_in(&tx, self.actor, &new, |case| {
            case.assignee = report.assignee.clone();
            case.assisting = report.assisting.clone();
            case.due_at = report.due_at;
            if report.restricted {
                case.default_sensitivity = Sensitivity::Restricted;
            }
        })?;
        self.carry_into(&tx, &stored, &case)?;
        stored.report.state = ReportState::Opened;
        self.close_into(&tx, &mut stored, &case, "report.open_case")?;
        tx.commit()?;
        Ok(case)
    }

    /// Adds the report's text and attachments to an existing case of this vault (not a received
    /// one) and closes the report as merged.
    pub fn report_merge(&self, id: &str, case_reference: &str) -> Result<Case> {
        let mut stored = self.report_in(self.conn, id)?;
        refuse_closed(&stored.report, "merged into a case")?;
        let case = self.writable_case(case_reference)?;
        let tx = self.tx()?;
        self.carry_into(&tx, &stored, &case)?;
        stored.report.state = ReportState::Merged;
        self.close_into(&tx, &mut stored, &case, "report.merge")?;
        tx.commit()?;
        Ok(case)
    }

    /// Closes the report without a case; the reason is kept with it.
    pub fn report_decline(&self, id: &str, reason: &str) -> Result<Report> {
        let reason = required(reason, MAX_DECLINE_CHARS, "say why the report is declined", "a decline's reason")?;
        self.triage(id, "declined", "report.decline", |r, _, _| {
            r.state = ReportState::Declined;
            r.decline_reason = reason.to_string();
            Ok(())
        })
    }

    fn report_in(&self, conn: &Connection, id: &str) -> Result<Stored> {
        let mut stored = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM reports r LEFT JOIN cases c ON c.id = r.case_id WHERE r.id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()?
            .ok_or_else(|| Error::not_found("report", id))?;
        stored.report.attachments =
            load_attachments(conn, Some(&stored.report.id))?.remove(&stored.report.id).unwrap_or_default();
        Ok(stored)
    }

    /// The report as returned to a caller: hidden parts hidden unless `revealed`, flags set now.
    fn shown(&self, report: Report, revealed: bool) -> Result<Report> {
        let target = i64::from(self.intake_target_minutes()?) * 60;
        let report = if revealed { report } else { redacted(report) };
        Ok(with_flags(report, target, Utc::now()))
    }

    /// One triage step on an open report: `change` edits it, then it is saved with its first
    /// action time and audited as `action`, all in one transaction.
    fn triage(
        &self,
        id: &str,
        doing: &str,
        action: &str,
        change: impl FnOnce(&mut Report, &str, DateTime<Utc>) -> Result<()>,
    ) -> Result<Report> {
        let mut stored = self.report_in(self.conn, id)?;
        refuse_closed(&stored.report, doing)?;
        let now = now();
        change(&mut stored.report, self.actor, now)?;
        stored.report.first_action_at.get_or_insert(now);
        let tx = self.tx()?;
        save(&tx, &stored)?;
        audit::append(
            &tx,
            self.actor,
            action,
            stored.case_id.as_deref(),
            &stored.report.id,
            &payload(&redacted(stored.report.clone())),
        )?;
        tx.commit()?;
        self.shown(stored.report, false)
    }

    /// The report's text and attachments as evidence of `case`, each audited.
    fn carry_into(&self, tx: &Connection, stored: &Stored, case: &Case) -> Result<()> {
        let report = &stored.report;
        let sensitivity = if report.restricted { Sensitivity::Restricted } else { case.default_sensitivity };
        let text = report.text.as_deref().unwrap_or_default();
        let name = format!("report-{}.txt", report.id);
        let content = evidence::store_content(tx, self.chunks, &mut text.as_bytes())?;
        let item = Evidence {
            id: new_id(),
            case_id: case.id.clone(),
            kind: EvidenceKind::Note,
            title: format!(
                "Report from {} ({} channel, received {})",
                report.reporter,
                report.channel,
                report.received_at.format("%Y-%m-%d")
            ),
            source_url: None,
            captured_at: report.received_at,
            captured_by: self.actor.to_string(),
            sha256: content.sha256.clone(),
            size: content.size,
            mime: mime::sniff(&content.head, &name).to_string(),
            original_name: name,
            sensitivity,
            redaction: None,
        };
        evidence::insert_evidence(tx, &item, &content)?;
        audit::append(tx, self.actor, "evidence.add", Some(&case.id), &item.id, &payload(&item))?;

        let mut chunks_of = tx.prepare_cached(
            "SELECT c.chunk_hash FROM report_attachment_chunks c JOIN report_attachments a ON a.seq = c.attachment_seq
             WHERE a.id = ?1 ORDER BY c.idx",
        )?;
        for attachment in &report.attachments {
            let chunks = chunks_of
                .query_map([&attachment.id], |r| r.get::<_, Vec<u8>>(0))?
                .map(|hash| {
                    let hash = hash?;
                    <[u8; 32]>::try_from(hash.as_slice()).map_err(|_| {
                        Error::CorruptVault(format!(
                            "a chunk of report attachment {} has a malformed hash",
                            attachment.id
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let content =
                StoredContent::from_chunks(tx, self.chunks, attachment.sha256.clone(), attachment.size, chunks)?;
            let item = Evidence {
                id: new_id(),
                case_id: case.id.clone(),
                kind: EvidenceKind::File,
                title: attachment.name.clone(),
                source_url: None,
                captured_at: report.received_at,
                captured_by: self.actor.to_string(),
                sha256: attachment.sha256.clone(),
                size: attachment.size,
                mime: attachment.mime.clone(),
                original_name: attachment.name.clone(),
                sensitivity,
                redaction: None,
            };
            evidence::insert_evidence(tx, &item, &content)?;
            audit::append(tx, self.actor, "evidence.add", Some(&case.id), &item.id, &payload(&item))?;
        }
        Ok(())
    }

    /// Ties the report to `case`, sets its first action time, saves and audits it.
    fn close_into(&self, tx: &Connection, stored: &mut Stored, case: &Case, action: &str) -> Result<()> {
        stored.case_id = Some(case.id.clone());
        stored.report.case_reference = Some(case.reference.clone());
        stored.report.first_action_at.get_or_insert_with(now);
        save(tx, stored)?;
        audit::append(
            tx,
            self.actor,
            action,
            Some(&case.id),
            &stored.report.id,
            &payload(&redacted(stored.report.clone())),
        )?;
        Ok(())
    }
}

/// A closed report (opened, merged, declined) takes no more triage.
fn refuse_closed(report: &Report, doing: &str) -> Result<()> {
    if !report.state.is_closed() {
        return Ok(());
    }
    let how = match (&report.state, &report.case_reference) {
        (ReportState::Opened, Some(reference)) => format!("was opened as {reference}"),
        (ReportState::Merged, Some(reference)) => format!("was merged into {reference}"),
        (state, _) => format!("was {state}"),
    };
    Err(Error::invalid(format!("report {} {how}; a closed report cannot be {doing}", report.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(channel: ReportChannel, minutes_ago: i64) -> Report {
        Report {
            id: "r".into(),
            received_at: Utc::now() - Duration::minutes(minutes_ago),
            channel,
            state: ReportState::New,
            reporter: "someone".into(),
            reporter_contact: Some("someone@example.org".into()),
            text: Some("text".into()),
            restricted: channel == ReportChannel::ChildProtection,
            acknowledged_by: None,
            acknowledged_at: None,
            severity: None,
            severity_reason: String::new(),
            assignee: String::new(),
            assisting: Vec::new(),
            due_at: None,
            case_reference: None,
            decline_reason: String::new(),
            attachments: Vec::new(),
            first_action_at: None,
            target_secs: None,
            overdue: false,
            urgent: false,
        }
    }

    #[test]
    fn an_emergency_is_urgent_until_acted_on_and_overdue_past_its_target() {
        let now = Utc::now();
        let fresh = with_flags(report(ReportChannel::Emergency, 10), 3600, now);
        assert_eq!((fresh.urgent, fresh.overdue, fresh.target_secs), (true, false, Some(3600)));
        let late = with_flags(report(ReportChannel::Emergency, 61), 3600, now);
        assert_eq!((late.urgent, late.overdue), (true, true));
        let mut acted = report(ReportChannel::Emergency, 61);
        acted.first_action_at = Some(now);
        let acted = with_flags(acted, 3600, now);
        assert_eq!((acted.urgent, acted.overdue), (false, false));
        let general = with_flags(report(ReportChannel::General, 600), 3600, now);
        assert_eq!((general.urgent, general.overdue, general.target_secs), (false, false, None));
    }

    #[test]
    fn a_closed_report_is_neither_urgent_nor_overdue() {
        let mut closed = report(ReportChannel::Emergency, 600);
        closed.state = ReportState::Declined;
        closed.due_at = Some(Utc::now() - Duration::hours(1));
        let closed = with_flags(closed, 60, Utc::now());
        assert_eq!((closed.urgent, closed.overdue), (false, false));
    }

    #[test]
    fn redaction_hides_the_contact_and_restricted_text_only() {
        let general = redacted(report(ReportChannel::General, 0));
        assert_eq!(general.reporter_contact.as_deref(), Some(REDACTED));
        assert_eq!(general.text.as_deref(), Some("text"));
        let child = redacted(report(ReportChannel::ChildProtection, 0));
        assert_eq!(child.text, None);
        assert!(!format!("{child:?}").contains("someone@example.org"));
    }

    #[test]
    fn severity_raises_a_case_priority_but_never_lowers_it() {
        assert_eq!(priority_for(CaseKind::Other, Some(1)), Priority::Urgent);
        assert_eq!(priority_for(CaseKind::Other, None), Priority::Normal);
        assert_eq!(priority_for(CaseKind::ThreatOfHarm, Some(4)), Priority::Urgent);
        assert_eq!(priority_for(CaseKind::Dmca, Some(2)), Priority::High);
    }
}
