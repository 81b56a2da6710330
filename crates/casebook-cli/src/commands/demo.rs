//! `casebook demo`: a vault with one realistic sample case, so a newcomer sees a timeline at once.

use anyhow::Result;
use casebook_core::{
    Vault,
    model::{CaseKind, EvidenceKind, LinkedAccount, NonpublicFields, Precision, SubjectRole},
    store::{NewCase, NewEvent, NewEvidence, NewSubject},
    time,
    vault::{InitOptions, KdfCost},
};

use super::Context;
use crate::passphrase;

const DIFF: &str = "Revision 48213907 by ExampleVandal on User talk:ClerkAlice\n\
- == Welcome ==\n\
+ == You will regret this ==\n\
+ I know where you will be in Berlin next month.\n";

pub fn run(ctx: &Context) -> Result<()> {
    let dir = ctx.vault_dir()?;
    let pass = passphrase::obtain_new(ctx.global.passphrase_file.as_deref())?;
    let vault = if dir.join(casebook_core::vault::KEY_FILE).exists() {
        Vault::unlock(&dir, &pass)?
    } else {
        let options = InitOptions { owner: "demo-investigator".into(), kdf_cost: KdfCost::Calibrate };
        let vault = Vault::init(&dir, &pass, &options)?;
        seed(&vault)?;
        eprintln!("created demo vault at {}", dir.display());
        vault
    };
    let reference = vault
        .store()
        .cases(&Default::default())?
        .into_iter()
        .next()
        .map(|c| c.reference)
        .ok_or_else(|| casebook_core::Error::NotFound { what: "case", id: "demo case".into() })?;
    let case = vault.store().case(&reference)?;
    if !ctx.out.json {
        println!("{} — {} ({}, {})\n", case.reference, case.title, case.kind, case.priority);
    }
    drop(vault);
    super::event::timeline(ctx, &reference)
}

/// (when, actor, category, summary, place, evidence ids)
type DemoEvent<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Vec<String>);

fn seed(vault: &Vault) -> Result<()> {
    let store = vault.store();
    let case = store.create_case(&NewCase {
        title: "Threats against an arbitration clerk ahead of WikiCon".into(),
        kind: CaseKind::ThreatOfHarm,
        priority: None,
        summary: "Reported threats on user talk pages, escalating to a named event venue.".into(),
    })?;
    let r = &case.reference;
    let subject = |username: &str, role, linked: Vec<LinkedAccount>, nonpublic| NewSubject {
        username: username.into(),
        wiki: "en.wikipedia.org".into(),
        role,
        linked_accounts: linked,
        nonpublic,
    };
    store.add_subject(
        r,
        &subject(
            "ExampleVandal",
            SubjectRole::ReportedParty,
            vec![LinkedAccount { username: "SockOfVandal".into(), wiki: "en.wikipedia.org".into(), confidence: 0.8 }],
            NonpublicFields { ip: Some("192.0.2.44".into()), ..Default::default() },
        ),
    )?;
    store.add_subject(r, &subject("SockOfVandal", SubjectRole::ReportedParty, vec![], Default::default()))?;
    store.add_subject(r, &subject("ClerkAlice", SubjectRole::Affected, vec![], Default::default()))?;
    let diff = store.add_evidence(
        r,
        DIFF.as_bytes(),
        &NewEvidence {
            kind: EvidenceKind::Revision,
            title: Some("Diff 48213907: threat on User talk:ClerkAlice".into()),
            source_url: Some("https://en.wikipedia.org/w/index.php?diff=48213907".into()),
            original_name: "diff-48213907.txt".into(),
            sensitivity: None,
            captured_at: None,
        },
    )?;
    let events: [DemoEvent<'_>; 7] = [
        (
            "2026-09-02T18:11:00Z",
            "ExampleVandal",
            "edit",
            "Reverted ClerkAlice's closure of an arbitration request",
            "en.wikipedia.org: Wikipedia:Arbitration/Requests",
            vec![],
        ),
        (
            "2026-09-03T09:40:00Z",
            "ClerkAlice",
            "block",
            "Blocked ExampleVandal for 31 hours (edit warring)",
            "en.wikipedia.org: Special:Log/block",
            vec![],
        ),
        (
            "2026-09-04T21:02:00Z",
            "SockOfVandal",
            "account",
            "Account created two minutes after the block expired",
            "en.wikipedia.org: Special:Log/newusers",
            vec![],
        ),
        (
            "2026-09-04T21:15:00Z",
            "SockOfVandal",
            "talk message",
            "Posted 'you will regret this' on User talk:ClerkAlice",
            "en.wikipedia.org: User talk:ClerkAlice",
            vec![],
        ),
        (
            "2026-09-05T07:30:00Z",
            "ExampleVandal",
            "talk message",
            "Named the WikiCon venue and date in a message to ClerkAlice",
            "en.wikipedia.org: User talk:ClerkAlice",
            vec![diff.id.clone()],
        ),
        (
            "2026-09-05T08:05:00Z",
            "ClerkAlice",
            "report",
            "Emailed the Trust & Safety team; forwarded the diffs",
            "off-wiki: email",
            vec![],
        ),
        (
            "2026-09-05T12:00:00Z",
            "",
            "office",
            "Emergency review opened; event organisers informed",
            "WikiCon 2026, Berlin",
            vec![],
        ),
    ];
    for (at, actor, category, summary, place, evidence) in events {
        store.add_event(
            r,
            &NewEvent {
                occurred_at: time::parse_rfc3339(at)?,
                precision: Precision::Minute,
                actor: actor.into(),
                summary: summary.into(),
                place: place.into(),
                category: category.into(),
                tags: vec!["threat".into()],
                evidence,
            },
        )?;
    }
    store.add_note(r, "## Assessment\nThe sock account's creation time and shared phrasing tie it to ExampleVandal.\nRecommend an event ban for WikiCon 2026 and a global ban review.")?;
    Ok(())
}
