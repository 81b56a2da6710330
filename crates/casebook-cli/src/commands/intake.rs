use anyhow::{Context as _, Result};
use casebook_core::{
    model::Report,
    store::{NewReport, ReportFilter},
};

use super::{Context, parse_opt, parse_time};
use crate::{args::IntakeCommand, output::clip};

pub fn run(ctx: &Context, cmd: IntakeCommand) -> Result<()> {
    match cmd {
        IntakeCommand::Add { channel, reporter, contact, text, text_file, received_at } => {
            let text = match (text, text_file) {
                (Some(text), _) => text,
                (None, Some(file)) => {
                    std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?
                }
                (None, None) => String::new(),
            };
            let new = NewReport {
                received_at: parse_time(received_at.as_deref())?,
                channel: channel.parse()?,
                reporter,
                reporter_contact: contact,
                text,
            };
            let vault = ctx.unlock()?;
            let report = vault.store().report_add(&new)?;
            ctx.out.emit(&report, || report.id.clone());
        }
        IntakeCommand::List { all } => {
            let vault = ctx.unlock()?;
            let reports = vault.store().reports(&ReportFilter { include_closed: all })?;
            ctx.out.emit(&reports, || reports.iter().map(line).collect::<Vec<_>>().join("\n"));
        }
        IntakeCommand::Show { id } => {
            let vault = ctx.unlock()?;
            let report = vault.store().report(&id)?;
            ctx.out.emit(&report, || details(&report));
        }
        IntakeCommand::Reveal { id, reason } => {
            let vault = ctx.unlock()?;
            let report = vault.store().report_reveal(&id, &reason)?;
            ctx.out.emit(&report, || details(&report));
        }
        IntakeCommand::Ack { id } => {
            let vault = ctx.unlock()?;
            let report = vault.store().report_acknowledge(&id)?;
            ctx.out.emit(&report, || format!("{} acknowledged", report.id));
        }
        IntakeCommand::Prioritise { id, severity, reason } => {
            let vault = ctx.unlock()?;
            let report = vault.store().report_prioritise(&id, severity, &reason)?;
            ctx.out.emit(&report, || format!("{} is severity {severity}", report.id));
        }
        IntakeCommand::Assign { id, assignee, assisting, due_at } => {
            let due_at = parse_time(due_at.as_deref())?;
            let vault = ctx.unlock()?;
            let report = vault.store().report_assign(&id, &assignee, &assisting, due_at)?;
            ctx.out.emit(&report, || format!("{} assigned to {}", report.id, or_nobody(&report.assignee)));
        }
        IntakeCommand::Attach { id, file } => {
            let vault = ctx.unlock()?;
            let report = vault.store().report_attach(&id, &file)?;
            ctx.out.emit(&report, || {
                report.attachments.last().map(|a| format!("{} {}", a.id, a.sha256)).unwrap_or_default()
            });
        }
        IntakeCommand::Open { id, title, kind } => {
            let kind = parse_opt(kind.as_deref())?;
            let vault = ctx.unlock()?;
            let case = vault.store().report_open_case(&id, &title, kind)?;
            ctx.out.emit(&case, || case.reference.clone());
        }
        IntakeCommand::Merge { id, reference } => {
            let vault = ctx.unlock()?;
            let case = vault.store().report_merge(&id, &reference)?;
            ctx.out.emit(&case, || format!("{id} merged into {}", case.reference));
        }
        IntakeCommand::Decline { id, reason } => {
            let vault = ctx.unlock()?;
            let report = vault.store().report_decline(&id, &reason)?;
            ctx.out.emit(&report, || format!("{} declined", report.id));
        }
        IntakeCommand::Target { set } => {
            let vault = ctx.unlock()?;
            let minutes = match set {
                Some(minutes) => vault.store().set_intake_target_minutes(minutes)?,
                None => vault.store().intake_target_minutes()?,
            };
            ctx.out.emit(&serde_json::json!({ "minutes": minutes }), || format!("{minutes} minutes"));
        }
    }
    Ok(())
}

fn or_nobody(name: &str) -> &str {
    if name.is_empty() { "nobody" } else { name }
}

fn flags(report: &Report) -> &'static str {
    match (report.urgent, report.overdue) {
        (true, true) => "URGENT OVERDUE",
        (true, false) => "URGENT",
        (false, true) => "OVERDUE",
        (false, false) => "",
    }
}

/// One report on one line; the text is never shown in a listing.
fn line(report: &Report) -> String {
    format!(
        "{}  {:<16} {:<12} sev {}  {:<14} {}",
        report.id,
        report.channel,
        report.state,
        report.severity.map_or("-".to_string(), |s| s.to_string()),
        flags(report),
        clip(&report.reporter, 40)
    )
}

fn details(report: &Report) -> String {
    let mut out = vec![
        format!("{} — {} report from {}", report.id, report.channel, report.reporter),
        format!("state: {}  received: {}  {}", report.state, report.received_at.to_rfc3339(), flags(report)),
        format!("contact: {}", report.reporter_contact.as_deref().unwrap_or("(none)")),
        format!(
            "severity: {}{}",
            report.severity.map_or("-".to_string(), |s| s.to_string()),
            if report.severity_reason.is_empty() { String::new() } else { format!(" ({})", report.severity_reason) }
        ),
        format!(
            "assignee: {}  assisting: {}  due: {}",
            or_nobody(&report.assignee),
            if report.assisting.is_empty() { "nobody".to_string() } else { report.assisting.join(", ") },
            report.due_at.map_or("-".to_string(), |d| d.to_rfc3339())
        ),
    ];
    if let Some(reference) = &report.case_reference {
        out.push(format!("case: {reference}"));
    }
    if !report.decline_reason.is_empty() {
        out.push(format!("declined: {}", report.decline_reason));
    }
    for a in &report.attachments {
        out.push(format!("attachment: {} {} ({} bytes, {}) {}", a.id, a.name, a.size, a.mime, a.sha256));
    }
    out.push(String::new());
    out.push(match &report.text {
        Some(text) => text.clone(),
        None => "(restricted: `casebook intake reveal ID --reason …` shows it, audited)".to_string(),
    });
    out.join("\n")
}
