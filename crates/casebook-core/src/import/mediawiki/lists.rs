//! Which API lists an import follows for each account, and their parameters: contributions,
//! log entries the account performed, log entries aimed at it (its user page, and the
//! `@global` title under which CentralAuth files locks), and AbuseFilter hits.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{ImportRequest, abuselog, records::ListKind};

/// One continuation stream: a list, for one account, with its parameters.
#[derive(Debug, Clone)]
pub(crate) struct Stream {
    pub account: String,
    pub kind: ListKind,
    /// How stored evidence names what the page lists ("of NAME", "about NAME", …).
    pub label: String,
    pub params: Vec<(String, String)>,
}

/// The streams for every account of `request`, in a fixed order.
pub(crate) fn streams(request: &ImportRequest, users: &[String]) -> Vec<Stream> {
    let range = range_params(request);
    let mut out = Vec::new();
    for user in users {
        let stream = |kind, label: String, params| Stream { account: user.clone(), kind, label, params };
        out.push(stream(
            ListKind::Contributions,
            format!("of {user}"),
            contributions_params(user, &request.namespaces, &range),
        ));
        out.push(stream(ListKind::Logs, format!("by {user}"), logs_params("leuser", user, &range)));
        out.push(stream(
            ListKind::Logs,
            format!("about {user}"),
            logs_params("letitle", &format!("User:{user}"), &range),
        ));
        // CentralAuth files a lock (globalauth/setstatus) under "User:NAME@global", not under
        // the user page; on a wiki without it this asks for a title nothing is logged under.
        out.push(stream(
            ListKind::Logs,
            format!("about {user}@global"),
            logs_params("letitle", &format!("User:{user}@global"), &range),
        ));
        out.push(stream(ListKind::AbuseLog, format!("of {user}"), abuselog::params(user, &range)));
    }
    out
}

/// `list=users` for every account.
pub(crate) fn users_params(users: &[String]) -> Vec<(String, String)> {
    vec![
        ("action".into(), "query".into()),
        ("list".into(), "users".into()),
        ("ususers".into(), users.join("|")),
        ("usprop".into(), "groups|editcount|registration|blockinfo".into()),
    ]
}

fn range_params(request: &ImportRequest) -> (Option<String>, Option<String>) {
    let fmt = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    (request.since.as_ref().map(fmt), request.until.as_ref().map(fmt))
}

fn contributions_params(
    user: &str,
    namespaces: &[i64],
    (since, until): &(Option<String>, Option<String>),
) -> Vec<(String, String)> {
    let mut p = vec![
        ("action".into(), "query".into()),
        ("list".into(), "usercontribs".into()),
        ("ucuser".into(), user.to_string()),
        ("uclimit".into(), "500".into()),
        ("ucdir".into(), "newer".into()),
        ("ucprop".into(), "ids|title|timestamp|comment|size|sizediff|flags|tags".into()),
    ];
    if !namespaces.is_empty() {
        let list: Vec<String> = namespaces.iter().map(i64::to_string).collect();
        p.push(("ucnamespace".into(), list.join("|")));
    }
    if let Some(s) = since {
        p.push(("ucstart".into(), s.clone()));
    }
    if let Some(u) = until {
        p.push(("ucend".into(), u.clone()));
    }
    p
}

fn logs_params(key: &str, value: &str, (since, until): &(Option<String>, Option<String>)) -> Vec<(String, String)> {
    let mut p = vec![
        ("action".into(), "query".into()),
        ("list".into(), "logevents".into()),
        (key.into(), value.to_string()),
        ("lelimit".into(), "500".into()),
        ("ledir".into(), "newer".into()),
        ("leprop".into(), "ids|title|type|user|timestamp|comment|details|tags".into()),
    ];
    if let Some(s) = since {
        p.push(("lestart".into(), s.clone()));
    }
    if let Some(u) = until {
        p.push(("leend".into(), u.clone()));
    }
    p
}
