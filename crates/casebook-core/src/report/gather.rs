//! Reads one case out of the vault into the report's blocks and its list of items.

use std::collections::HashMap;

use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use casebook_bundle::{AuditHead, PublicIdentity, ReportItem};
use chrono::{DateTime, SecondsFormat, Utc};

use super::{
    ReportOptions,
    layout::{Block, Chart, Table},
    text,
};
use crate::{
    Result, Vault,
    model::{Case, Sensitivity},
    timestamp::TimestampStatus,
};

pub(super) struct Built {
    pub case: Case,
    pub blocks: Vec<Block>,
    pub items: Vec<ReportItem>,
    /// Originals left out in favour of their redacted copies (by SHA-256).
    pub withheld: Vec<String>,
    pub audit_head: AuditHead,
    pub generated_at: String,
}

fn when(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// `signer` is the public half of the identity that will sign the manifest.
pub(super) fn build(vault: &Vault, reference: &str, options: &ReportOptions, signer: &PublicIdentity) -> Result<Built> {
    let store = vault.store();
    let lang = options.language;
    let w = text::words(lang);
    let v = |code: &str| text::value(lang, code);
    let case = store.case(reference)?;
    // Asking for the non-public fields is an access like a reveal: checked and recorded first.
    let subjects = match &options.nonpublic_reason {
        Some(reason) => store.release_subjects(&case, reason)?,
        None => store.subjects(reference, false)?,
    };
    let notes = store.notes(reference)?;
    let events = store.timeline(reference)?;
    let mut evidence = store.evidence(reference)?;
    let mut withheld = Vec::new();
    if options.redacted_in_place {
        let replace = crate::bundle::redacted_in_place(&evidence);
        withheld = evidence.iter().filter(|e| replace.contains_key(&e.id)).map(|e| e.sha256.clone()).collect();
        evidence.retain(|e| !replace.contains_key(&e.id));
    }
    let timestamps = store.timestamp_statuses(reference)?;
    let audit = store.audit_log(Some(reference))?;
    let review = vault.review_status(reference)?;
    let (head_seq, head_hash) = store.audit_head()?;
    let generated_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);

    let mut blocks =
        vec![Block::Title { title: format!("{} {}", w.report, case.reference), subtitle: case.title.clone() }];
    let yes_no = |b: bool| if b { w.yes } else { w.no }.to_string();
    let mut cover = vec![
        (w.reference.to_string(), case.reference.clone()),
        (w.kind.to_string(), v(case.kind.as_str())),
        (w.status.to_string(), v(case.status.as_str())),
        (w.priority.to_string(), v(case.priority.as_str())),
        (w.legal_hold.to_string(), yes_no(case.legal_hold)),
        (w.author.to_string(), vault.owner().to_string()),
        (w.assignee.to_string(), if case.assignee.is_empty() { w.nobody.to_string() } else { case.assignee.clone() }),
        (w.opened.to_string(), when(&case.opened_at)),
    ];
    if let Some(due) = &case.due_at {
        cover.push((w.due.to_string(), when(due)));
    }
    cover.push((w.generated.to_string(), generated_at.clone()));
    cover.push((w.audit_head.to_string(), format!("#{head_seq} {head_hash}")));
    blocks.push(Block::Fields(cover));
    if !case.summary.trim().is_empty() {
        blocks.push(Block::Heading(w.summary.to_string()));
        blocks.push(Block::Paragraph(case.summary.clone()));
    }

    blocks.push(Block::Heading(w.narrative.to_string()));
    if notes.is_empty() {
        blocks.push(Block::Caption(w.no_notes.to_string()));
    }
    for note in &notes {
        blocks.push(Block::Caption(format!("{} — {}", when(&note.created_at), note.author)));
        blocks.push(Block::Paragraph(note.body.clone()));
    }

    blocks.push(Block::Heading(w.timeline.to_string()));
    let marks: Vec<(i64, String)> = events.iter().map(|e| (e.occurred_at.timestamp(), e.actor.clone())).collect();
    match Chart::of(&marks, w.other_accounts, w.unattributed) {
        None => blocks.push(Block::Caption(w.no_events.to_string())),
        Some(chart) => {
            blocks.push(Block::Chart(chart));
            blocks.push(Block::Caption(w.chart_caption.to_string()));
            let mut table = Table::new(&[
                (w.time_utc, 0.16, false),
                (w.precision, 0.09, false),
                (w.actor, 0.14, false),
                (w.event, 0.38, false),
                (w.place, 0.18, false),
                (w.evidence_short, 0.05, false),
            ]);
            for e in &events {
                table.rows.push(vec![
                    e.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    v(e.precision.as_str()),
                    e.actor.clone(),
                    e.summary.clone(),
                    e.place.clone(),
                    if e.evidence.is_empty() { String::new() } else { e.evidence.len().to_string() },
                ]);
            }
            blocks.push(Block::Table(table));
        }
    }

    blocks.push(Block::Heading(w.subjects.to_string()));
    if subjects.is_empty() {
        blocks.push(Block::Caption(w.no_subjects.to_string()));
    } else {
        let shown = options.nonpublic_reason.as_deref();
        let mut columns =
            vec![(w.username, 0.2, false), (w.wiki, 0.2, false), (w.role, 0.14, false), (w.linked, 0.22, false)];
        if shown.is_some() {
            columns.push((w.nonpublic, 0.24, false));
        }
        let mut table = Table::new(&columns);
        for s in &subjects {
            let linked = s
                .linked_accounts
                .iter()
                .map(|l| format!("{} ({}, {:.0}%)", l.username, l.wiki, l.confidence * 100.0))
                .collect::<Vec<_>>()
                .join("; ");
            let mut row = vec![s.username.clone(), s.wiki.clone(), v(s.role.as_str()), linked];
            if shown.is_some() {
                let n = &s.nonpublic;
                let fields = [(w.real_name, &n.real_name), (w.email, &n.email), (w.ip, &n.ip)]
                    .into_iter()
                    .filter_map(|(label, value)| value.as_ref().map(|v| format!("{}: {label}: {v}", w.nonpublic)))
                    .collect::<Vec<_>>();
                row.push(fields.join("\n"));
            }
            table.rows.push(row);
        }
        match shown {
            None => blocks.push(Block::Caption(w.nonpublic_withheld.to_string())),
            Some(reason) => blocks.push(Block::Caption(format!("{} {}", w.nonpublic_shown, reason.trim()))),
        }
        blocks.push(Block::Table(table));
    }

    blocks.push(Block::Heading(w.evidence.to_string()));
    let mut items = Vec::new();
    if evidence.is_empty() {
        blocks.push(Block::Caption(w.no_evidence.to_string()));
    } else {
        blocks.push(Block::Caption(w.restricted_listed.to_string()));
        if !withheld.is_empty() {
            blocks.push(Block::Caption(format!("{} {}", w.withheld_in_place, withheld.len())));
        }
        if !timestamps.is_empty() {
            blocks.push(Block::Caption(w.trusted_time_intro.to_string()));
        }
        let mut table = Table::new(&[
            (w.item, 0.22, false),
            (w.captured, 0.17, false),
            (w.source, 0.2, false),
            (w.size, 0.08, false),
            (w.sensitivity, 0.1, false),
            ("SHA-256", 0.23, true),
        ]);
        for e in &evidence {
            table.rows.push(vec![
                match &e.redaction {
                    None => format!("{}\n{} · {}", e.title, v(e.kind.as_str()), e.original_name),
                    Some(r) => format!(
                        "{}\n{} · {}\n{} {} ({}, {})",
                        e.title,
                        v(e.kind.as_str()),
                        e.original_name,
                        w.redacted_copy_of,
                        r.original_sha256,
                        r.redacted_by,
                        r.reason
                    ),
                },
                match timestamps.get(&e.id) {
                    Some(TimestampStatus::Stamped { stamped_at, authority, .. }) => format!(
                        "{}\n{}\n{}: {} ({authority})",
                        when(&e.captured_at),
                        e.captured_by,
                        w.trusted_time,
                        stamped_at.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                    Some(TimestampStatus::Queued { .. }) => {
                        format!("{}\n{}\n{}", when(&e.captured_at), e.captured_by, w.trusted_time_queued)
                    }
                    None => format!("{}\n{}", when(&e.captured_at), e.captured_by),
                },
                e.source_url.clone().unwrap_or_default(),
                size(e.size),
                v(e.sensitivity.as_str()),
                e.sha256.clone(),
            ]);
            let exported = options.evidence_dir.is_some() && e.sensitivity != Sensitivity::Restricted;
            items.push(ReportItem {
                id: e.id.clone(),
                title: e.title.clone(),
                sha256: e.sha256.clone(),
                size: e.size,
                sensitivity: e.sensitivity.as_str().to_string(),
                exported_as: exported.then(|| super::export_name(&e.id, &e.original_name)),
                redacted_from: e.redaction.as_ref().map(|r| r.original_sha256.clone()),
                timestamp: store.timestamp_token(&e.id)?.map(|token| B64.encode(token)),
            });
        }
        blocks.push(Block::Table(table));

        blocks.push(Block::Heading(w.custody.to_string()));
        blocks.push(Block::Caption(w.custody_intro.to_string()));
        let titles: HashMap<&str, &str> = evidence.iter().map(|e| (e.id.as_str(), e.title.as_str())).collect();
        let mut custody = Table::new(&[
            (w.item, 0.3, false),
            ("UTC", 0.2, false),
            (w.actor, 0.18, false),
            (w.action, 0.22, false),
            ("#", 0.1, false),
        ]);
        for row in audit.iter().filter(|a| titles.contains_key(a.entity.as_str())) {
            custody.rows.push(vec![
                titles[row.entity.as_str()].to_string(),
                row.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                row.actor.clone(),
                row.action.clone(),
                row.seq.to_string(),
            ]);
        }
        blocks.push(Block::Table(custody));
    }

    blocks.push(Block::Heading(w.review.to_string()));
    match review {
        Some((review, _)) if !review.history.is_empty() => {
            let mut table = Table::new(&[
                ("UTC", 0.2, false),
                (w.actor, 0.2, false),
                (w.decision, 0.18, false),
                (w.state, 0.3, false),
                (w.level, 0.12, false),
            ]);
            for t in &review.history {
                let state = |s: &casebook_protocol::review::ReviewState| {
                    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
                };
                let decision = serde_json::to_value(t.decision).ok().and_then(|v| v.as_str().map(str::to_string));
                table.rows.push(vec![
                    DateTime::from_timestamp(t.at, 0)
                        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default(),
                    t.actor_user.clone(),
                    decision.unwrap_or_default().replace('_', " "),
                    format!("{} → {}", t.from.as_ref().map(state).unwrap_or_default(), state(&t.to)).replace('_', " "),
                    t.level.map(|l| (l + 1).to_string()).unwrap_or_default(),
                ]);
            }
            blocks.push(Block::Table(table));
        }
        _ => blocks.push(Block::Caption(w.no_review.to_string())),
    }

    blocks.push(Block::Heading(w.manifest.to_string()));
    blocks.push(Block::Caption(w.manifest_intro.to_string()));
    blocks.push(Block::Fields(vec![
        (w.signer.to_string(), format!("{} ({})", signer.name, signer.fingerprint())),
        (w.audit_head.to_string(), format!("#{head_seq} {head_hash}")),
    ]));
    if !items.is_empty() {
        let mut columns = vec![(w.item, 0.3, false), ("SHA-256", 0.45, true), (w.size, 0.1, false)];
        if options.evidence_dir.is_some() {
            columns.push((w.exported_as, 0.15, false));
        }
        let mut table = Table::new(&columns);
        for item in &items {
            let mut row = vec![item.title.clone(), item.sha256.clone(), item.size.to_string()];
            if options.evidence_dir.is_some() {
                row.push(item.exported_as.clone().unwrap_or_else(|| w.listed_only.to_string()));
            }
            table.rows.push(row);
        }
        blocks.push(Block::Table(table));
    }
    Ok(Built { case, blocks, items, withheld, audit_head: AuditHead { seq: head_seq, hash: head_hash }, generated_at })
}
