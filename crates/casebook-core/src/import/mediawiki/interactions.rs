//! Interaction analysis across a case's imported accounts: the pages two or more of them
//! edited, each account's edits there in order, how soon one followed another, and the
//! user-talk messages they left each other. Computed from the stored conduct, so it always
//! reflects what the case holds.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::{Result, Store, time};

#[derive(Debug, Clone, Serialize)]
pub struct Interactions {
    pub accounts: Vec<String>,
    pub shared_pages: Vec<SharedPage>,
    pub talk: Vec<TalkMessages>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SharedPage {
    /// The wiki's host: the same title on two wikis is two pages.
    pub wiki: String,
    pub title: String,
    pub accounts: Vec<String>,
    /// Every edit by the case's accounts on the page, oldest first: (account, time, revision).
    pub edits: Vec<(String, DateTime<Utc>, i64)>,
    /// For each ordered pair: how soon `follower` edited after `leader`'s latest edit.
    pub gaps: Vec<PairGap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PairGap {
    pub leader: String,
    pub follower: String,
    pub times: usize,
    pub min_seconds: i64,
    pub median_seconds: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TalkMessages {
    /// The wiki's host.
    pub wiki: String,
    pub from: String,
    pub to: String,
    pub page: String,
    pub count: usize,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

impl Store<'_> {
    pub fn interactions(&self, reference: &str) -> Result<Interactions> {
        let case = self.case(reference)?;
        let mut stmt = self.conn.prepare(
            "SELECT user, title, ns, at, item_id, api FROM wiki_items WHERE case_id = ?1 AND kind = 'rev'
             ORDER BY at, item_id",
        )?;
        let edits: Vec<Edit> = stmt
            .query_map([&case.id], |r| {
                let api: String = r.get(5)?;
                Ok(Edit {
                    user: r.get(0)?,
                    title: r.get(1)?,
                    ns: r.get(2)?,
                    at: r.get(3)?,
                    rev: r.get(4)?,
                    wiki: wiki_of(&api),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let accounts: BTreeSet<String> = edits.iter().map(|e| e.user.clone()).collect();
        let mut by_page: BTreeMap<(String, String), Vec<PageEdit>> = BTreeMap::new();
        for e in &edits {
            by_page.entry((e.wiki.clone(), e.title.clone())).or_default().push((
                e.user.clone(),
                time::from_db(&e.at)?,
                e.rev,
            ));
        }
        let mut shared_pages = Vec::new();
        for ((wiki, title), page_edits) in by_page {
            let on_page: BTreeSet<&String> = page_edits.iter().map(|e| &e.0).collect();
            if on_page.len() < 2 {
                continue;
            }
            shared_pages.push(SharedPage {
                wiki,
                title,
                accounts: on_page.iter().map(|s| s.to_string()).collect(),
                gaps: gaps(&page_edits),
                edits: page_edits,
            });
        }
        let mut talk: BTreeMap<(String, String, String, String), Vec<DateTime<Utc>>> = BTreeMap::new();
        for Edit { user, title, ns, at, wiki, .. } in &edits {
            let owner = title.split_once(':').map(|(_, rest)| rest.split('/').next().unwrap_or(rest).to_string());
            if let Some(owner) = owner
                && *ns == 3
                && &owner != user
                && accounts.contains(&owner)
            {
                talk.entry((wiki.clone(), user.clone(), owner, title.clone())).or_default().push(time::from_db(at)?);
            }
        }
        let talk = talk
            .into_iter()
            .map(|((wiki, from, to, page), times)| TalkMessages {
                wiki,
                from,
                to,
                page,
                count: times.len(),
                first: times[0],
                last: times[times.len() - 1],
            })
            .collect();
        Ok(Interactions { accounts: accounts.into_iter().collect(), shared_pages, talk })
    }
}

/// An edit on a shared page: (account, time, revision).
type PageEdit = (String, DateTime<Utc>, i64);

/// One imported revision, as the analysis needs it.
struct Edit {
    user: String,
    title: String,
    ns: i64,
    at: String,
    rev: i64,
    wiki: String,
}

/// The wiki (host, with a non-default port) of a recorded `api.php` URL.
fn wiki_of(api: &str) -> String {
    reqwest::Url::parse(api).map(|u| super::client::wiki_name(&u)).unwrap_or_else(|_| api.to_string())
}

/// For every edit, the time since the latest earlier edit by each other account on the page.
fn gaps(edits: &[(String, DateTime<Utc>, i64)]) -> Vec<PairGap> {
    let mut seconds: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    let mut latest: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
    for (user, at, _) in edits {
        for (leader, when) in &latest {
            if leader != user {
                seconds.entry((leader.to_string(), user.clone())).or_default().push((*at - *when).num_seconds());
            }
        }
        latest.insert(user, *at);
    }
    seconds
        .into_iter()
        .map(|((leader, follower), mut s)| {
            s.sort_unstable();
            PairGap { leader, follower, times: s.len(), min_seconds: s[0], median_seconds: median(&s) }
        })
        .collect()
}

fn median(sorted: &[i64]) -> i64 {
    let n = sorted.len();
    if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        time::parse_rfc3339(s).expect("time")
    }

    #[test]
    fn gaps_measure_each_follow_up_from_the_latest_edit_of_the_other() {
        let edits = vec![
            ("A".to_string(), at("2026-01-01T10:00:00Z"), 1),
            ("B".to_string(), at("2026-01-01T10:03:00Z"), 2),
            ("A".to_string(), at("2026-01-01T11:00:00Z"), 3),
            ("B".to_string(), at("2026-01-01T11:01:00Z"), 4),
        ];
        let g = gaps(&edits);
        let ab = g.iter().find(|p| p.leader == "A" && p.follower == "B").expect("A then B");
        assert_eq!((ab.times, ab.min_seconds, ab.median_seconds), (2, 60, 120));
        let ba = g.iter().find(|p| p.leader == "B" && p.follower == "A").expect("B then A");
        assert_eq!((ba.times, ba.min_seconds), (1, 57 * 60));
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[1, 2, 3]), 2);
        assert_eq!(median(&[1, 3]), 2);
    }
}
