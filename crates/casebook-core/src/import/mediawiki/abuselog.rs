//! AbuseFilter's log (`list=abuselog`): each time an account's action tripped a filter, as a
//! timeline event ("abuse filter"). Only what an anonymous reader may see is asked for: no
//! `details` (the variable dump needs `abusefilter-log-detail`), and private filters' hits are
//! left out by the wiki itself.

use serde_json::Value;

use super::{
    client::Refusal,
    records::{Item, ListKind, lacks},
};
use crate::{Result, model::Precision, store::NewEvent, time};

/// What the import reports for this list on a wiki without AbuseFilter.
pub(crate) const UNAVAILABLE: &str = "AbuseFilter is not available on this wiki";

/// `list=abuselog` for one account, oldest first (continuation is by timestamp).
pub(crate) fn params(user: &str, (since, until): &(Option<String>, Option<String>)) -> Vec<(String, String)> {
    let mut p = vec![
        ("action".into(), "query".into()),
        ("list".into(), "abuselog".into()),
        ("afluser".into(), user.to_string()),
        ("afllimit".into(), "500".into()),
        ("afldir".into(), "newer".into()),
        ("aflprop".into(), "ids|filter|user|title|action|result|timestamp|hidden|revid".into()),
    ];
    if let Some(s) = since {
        p.push(("aflstart".into(), s.clone()));
    }
    if let Some(u) = until {
        p.push(("aflend".into(), u.clone()));
    }
    p
}

/// Why a wiki gave no abuse log, when that is an answer rather than a failure: it lacks the
/// extension (it then warns of an unrecognized `list` value and returns no `query.abuselog`),
/// or it does not let this client read the log.
pub(crate) fn not_offered(answer: std::result::Result<&Value, &Refusal>) -> Option<String> {
    match answer {
        Ok(json) if json.pointer("/query/abuselog").is_none() => Some(UNAVAILABLE.to_string()),
        Ok(_) => None,
        Err(Refusal { code, .. }) if code == "badvalue" || code == "unknown_list" => Some(UNAVAILABLE.to_string()),
        Err(Refusal { code, .. }) => Some(format!("the wiki does not let this client read its abuse log ({code})")),
    }
}

pub(crate) fn parse(host: &str, v: &Value) -> Result<Item> {
    let bad = |what: &str| lacks(ListKind::AbuseLog, what);
    let text = |key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let id = v.get("id").and_then(Value::as_i64).ok_or_else(|| bad("an id"))?;
    let at = v.get("timestamp").and_then(Value::as_str).ok_or_else(|| bad("a timestamp"))?;
    let at = time::parse_rfc3339(at).map_err(|_| bad("a valid timestamp"))?;
    let user = text("user");
    let title = text("title");
    let ns = v.get("ns").and_then(Value::as_i64).unwrap_or(0);
    // The wiki blanks the id of a filter whose details this client may not see.
    let filter = match (text("filter_id"), text("filter")) {
        (id, name) if id.is_empty() => format!("\"{name}\""),
        (id, name) => format!("{id} \"{name}\""),
    };
    let result = match text("result") {
        r if r.is_empty() => "no action taken".to_string(),
        r => r.replace(',', ", "),
    };
    let summary = format!("{user} tripped filter {filter} on {} \"{title}\" ({result})", text("action"));
    let event = NewEvent {
        occurred_at: at,
        precision: Precision::Exact,
        actor: user.clone(),
        summary,
        place: format!("{host}: {title}"),
        category: "abuse filter".into(),
        tags: vec![],
        evidence: vec![],
    };
    Ok(Item { id, user, title, ns, at, sha1: None, event })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_becomes_an_abuse_filter_event() {
        let entry = json!({
            "id": 38291045, "filter_id": "614", "filter": "Removing references",
            "user": "Vandal One", "ns": 0, "title": "Disputed Article", "action": "edit",
            "result": "warn,tag", "timestamp": "2026-01-06T10:01:12Z", "revid": 1234
        });
        let item = parse("en.wikipedia.org", &entry).expect("parses");
        assert_eq!(item.id, 38291045);
        assert_eq!(item.event.category, "abuse filter");
        assert_eq!(item.event.place, "en.wikipedia.org: Disputed Article");
        assert_eq!(
            item.event.summary,
            "Vandal One tripped filter 614 \"Removing references\" on edit \"Disputed Article\" (warn, tag)"
        );
    }

    #[test]
    fn an_entry_without_an_id_is_malformed() {
        let entry = json!({ "user": "X", "timestamp": "2026-01-06T10:01:12Z" });
        assert_eq!(parse("w", &entry).err().map(|e| e.code()), Some("wiki_bad_response"));
    }

    #[test]
    fn a_wiki_without_the_extension_is_an_answer_not_a_failure() {
        // What MediaWiki 1.39 without AbuseFilter really answers (tests/fixtures/mediawiki).
        let plain = json!({"batchcomplete": true, "warnings": {
            "main": {"warnings": "Unrecognized parameter: afluser."},
            "query": {"warnings": "Unrecognized value for parameter \"list\": abuselog"}}});
        assert_eq!(not_offered(Ok(&plain)).as_deref(), Some(UNAVAILABLE));
        assert_eq!(not_offered(Ok(&json!({"query": {"abuselog": []}}))), None);
        let denied = Refusal { code: "permissiondenied".into(), info: String::new() };
        assert!(not_offered(Err(&denied)).is_some_and(|m| m.contains("permissiondenied")));
    }
}
