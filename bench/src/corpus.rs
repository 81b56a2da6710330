//! A synthetic but realistic timeline: summaries drawn from a Trust & Safety vocabulary with a
//! skewed (Zipf-like) word frequency, so FTS5 has common, middling and rare terms to index.

use anyhow::{Context, Result};
use casebook_core::{model::Precision, store::NewEvent};
use chrono::{DateTime, Utc};

use crate::prng::SplitMix64;

/// Ordered from most to least frequent: a word's index decides how often it is drawn.
const VOCABULARY: &str = "\
edit user page reverted talk warning account revision removed added content comment \
block report vandalism article message section admin noticeboard request protection \
deleted source policy discussion unsourced personal attack harassment summary reply \
email review log image upload copyright filter abuse tripped rollback sock checkuser \
evidence pattern timestamp ip range proxy mobile session login created renamed moved \
redirect template category infobox biography living person claims defamatory libel \
threat violence offwiki forum screenshot archive capture link external spam promotional \
undisclosed paid editing conflict interest coordinated campaign brigading canvassing \
votestacking election misinformation disinformation propaganda hoax fabricated quotation \
citation needed outing private information address phone employer doxxing stalking \
hounding followed across wikis global lock steward ban appeal declined granted unblock \
evasion suspected confirmed likely unlikely technical behavioural similarity timing \
overlap language style typo signature mentor newcomer welcome minor child safety \
escalated office action legal counsel takedown notice dmca counterclaim oversight \
suppressed hidden restored mass creation bot script automated rate limit captcha bypass \
exploit vulnerability disclosure";

/// In most summaries: a heavy query that ranks many matches.
pub const COMMON_WORD: &str = "edit";
/// Two mid-frequency words, each in a few percent of summaries.
pub const TWO_WORDS: &str = "checkuser proxy";
/// Injected into one summary in 20,000: a selective query.
pub const RARE_WORD: &str = "sockpuppetry";
const RARE_ONE_IN: u64 = 20_000;

const NAME_HEADS: &[&str] =
    &["Quiet", "Bold", "Amber", "Northern", "Silver", "Lucky", "Grey", "Patient", "Swift", "Old"];
const NAME_TAILS: &[&str] = &["Heron", "Fox", "Librarian", "Gardener", "Comet"];
const CATEGORIES: &[&str] = &["edit", "block", "report", "message", "log entry", "page move"];

/// 2026-01-01T00:00:00Z in microseconds since the epoch.
const START_MICROS: i64 = 1_767_225_600_000_000;

/// `count` events, the same ones for the same `seed`.
pub fn events(count: usize, seed: u64) -> Result<Vec<NewEvent>> {
    let vocabulary: Vec<&str> = VOCABULARY.split_whitespace().collect();
    let mut rng = SplitMix64::new(seed);
    let mut events = Vec::with_capacity(count);
    for i in 0..count {
        let micros = START_MICROS + i as i64 * 30_000_000 + rng.below(30_000_000) as i64;
        events.push(NewEvent {
            occurred_at: at(micros)?,
            precision: Precision::Exact,
            actor: actor(&mut rng),
            summary: summary(&mut rng, &vocabulary),
            place: format!("en.wikipedia.org: Page {}", rng.below(20_000)),
            category: CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize].to_string(),
            tags: Vec::new(),
            evidence: Vec::new(),
        });
    }
    Ok(events)
}

fn at(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).context("event timestamp out of range")
}

fn actor(rng: &mut SplitMix64) -> String {
    let head = NAME_HEADS[rng.below(NAME_HEADS.len() as u64) as usize];
    let tail = NAME_TAILS[rng.below(NAME_TAILS.len() as u64) as usize];
    format!("{head}{tail}")
}

/// Six to fourteen words; the index is `N·u³`, so early words are far more frequent.
fn summary(rng: &mut SplitMix64, vocabulary: &[&str]) -> String {
    let words = 6 + rng.below(9);
    let mut text = String::with_capacity(96);
    for n in 0..words {
        let u = rng.unit();
        let idx = ((u * u * u) * vocabulary.len() as f64) as usize;
        let word = vocabulary[idx.min(vocabulary.len() - 1)];
        if n > 0 {
            text.push(' ');
        }
        if n == 0 {
            let mut chars = word.chars();
            text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            text.push_str(chars.as_str());
        } else {
            text.push_str(word);
        }
    }
    if rng.below(RARE_ONE_IN) == 0 {
        text.push_str(" (");
        text.push_str(RARE_WORD);
        text.push(')');
    }
    text
}
