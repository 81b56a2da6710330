//! MediaWiki conduct import against a real MediaWiki 1.39 on loopback (tests/fixtures/mediawiki),
//! populated with known, back-dated conduct described in its expected.json.

use casebook_tests::{Casebook, mediawiki::Wiki, sha256_file};
use serde_json::Value;
use std::{
    collections::{BTreeSet, HashSet},
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    process::Stdio,
};

fn import(book: &Casebook, reference: &str, api: &str, users: &[&str], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = vec!["import".into(), "mediawiki".into(), reference.into(), "--api".into(), api.into()];
    for u in users {
        args.extend(["--user".into(), u.to_string()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    book.run(&args)
}

fn imported(book: &Casebook, reference: &str, api: &str, users: &[&str]) {
    let out = import(book, reference, api, users, &[]);
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// (time, actor, title, list): a page creation is both a revision and a `create` log entry.
type Conduct = (String, String, String, &'static str);

/// The conduct expected.json says the import of `users` must bring: visible contributions by
/// them, and log entries performed by them or aimed at their user pages.
fn expected_conduct(expected: &Value, users: &[&str]) -> BTreeSet<Conduct> {
    let mut want = BTreeSet::new();
    for e in expected["edits"].as_array().expect("edits") {
        let user = e["user"].as_str().expect("user");
        if users.contains(&user) && !e["deleted"].as_bool().expect("deleted") {
            want.insert((
                e["timestamp"].as_str().expect("ts").to_string(),
                user.to_string(),
                e["title"].as_str().expect("title").to_string(),
                "rev",
            ));
        }
    }
    for l in expected["logs"].as_array().expect("logs") {
        let performer = l["performer"].as_str().expect("performer");
        let title = l["title"].as_str().expect("title");
        if users.contains(&performer) || users.iter().any(|u| title == format!("User:{u}")) {
            want.insert((
                l["timestamp"].as_str().expect("ts").to_string(),
                performer.to_string(),
                title.to_string(),
                "log",
            ));
        }
    }
    want
}

/// The case's imported conduct; the evidence an event links tells which list it came from.
fn conduct_in(book: &Casebook, reference: &str) -> Vec<Conduct> {
    let logs: HashSet<String> = book
        .json(["evidence", "list", reference])
        .as_array()
        .expect("evidence")
        .iter()
        .filter(|e| e["kind"] == "log_entry")
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect();
    book.json(["timeline", reference])
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            let place = e["place"].as_str().expect("place");
            let title = place.split_once(": ").map(|(_, t)| t).unwrap_or(place);
            let list = if logs.contains(e["evidence"][0].as_str().expect("listing")) { "log" } else { "rev" };
            (
                e["occurred_at"].as_str().expect("time").to_string(),
                e["actor"].as_str().expect("actor").to_string(),
                title.to_string(),
                list,
            )
        })
        .collect()
}

#[test]
fn every_contribution_and_log_entry_becomes_an_event_with_its_evidence() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let r = book.case("global_ban");
    let users = ["Vandal One", "Sock Two", "Admin Bob"];
    imported(&book, &r, &wiki.api_url(), &users);

    let timeline = book.json(["timeline", &r]);
    let got = conduct_in(&book, &r);
    let unique: BTreeSet<_> = got.iter().cloned().collect();
    assert_eq!(unique.len(), got.len(), "an item was imported twice");
    assert_eq!(unique, expected_conduct(&wiki.expected(), &users));
    let categories: HashSet<&str> =
        timeline.as_array().expect("events").iter().filter_map(|e| e["category"].as_str()).collect();
    for needed in ["block", "protection", "deletion", "talk message", "edit"] {
        assert!(categories.contains(needed), "no {needed} event among {categories:?}");
    }

    // Each listing is stored whole as evidence: its hash is what was stored, and every id the
    // events came from is in one of them.
    let mut ids = HashSet::new();
    for item in book.json(["evidence", "list", &r]).as_array().expect("evidence") {
        let out = book.path(&format!("{}.json", item["id"].as_str().expect("id")));
        book.ok(["evidence", "export", &r, item["id"].as_str().expect("id"), "--to", out.to_str().expect("utf8")]);
        assert_eq!(sha256_file(&out), item["sha256"].as_str().expect("sha"));
        assert!(item["source_url"].as_str().expect("url").starts_with(&wiki.api_url()));
        let page: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("stored JSON");
        for list in ["usercontribs", "logevents"] {
            for entry in page["query"][list].as_array().into_iter().flatten() {
                ids.insert(entry["revid"].as_i64().or(entry["logid"].as_i64()).expect("id"));
            }
        }
    }
    for e in wiki.expected()["edits"].as_array().expect("edits") {
        if users.contains(&e["user"].as_str().expect("user")) && !e["deleted"].as_bool().expect("deleted") {
            assert!(
                ids.contains(&e["revid"].as_i64().expect("revid")),
                "revision {} not in any stored response",
                e["revid"]
            );
        }
    }

    // What the wiki says of each account is recorded on its subject.
    let subjects = book.json(["subject", "list", &r]);
    for user in wiki.expected()["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter(|u| users.contains(&u["name"].as_str().expect("name")))
    {
        let name = user["name"].as_str().expect("name");
        let subject = subjects
            .as_array()
            .expect("subjects")
            .iter()
            .find(|s| s["username"] == name)
            .expect("subject for each account");
        assert_eq!(subject["wiki_facts"]["editcount"], user["editcount"], "{name}");
        assert_eq!(subject["wiki_facts"]["registration"], user["registration"], "{name}");
        assert_eq!(subject["wiki_facts"]["blockedby"].as_str(), user["blocked"]["by"].as_str(), "{name}");
    }
    book.ok(["vault", "verify"]);
}

#[test]
fn interactions_find_the_shared_pages_follow_ups_and_talk_messages() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let r = book.case("global_ban");
    let users = ["Vandal One", "Sock Two", "Clerk Alice"];
    imported(&book, &r, &wiki.api_url(), &users);
    let found = book.json(["interactions", &r]);
    let expected = wiki.expected();

    let mut editors: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for e in expected["edits"].as_array().expect("edits") {
        let user = e["user"].as_str().expect("user");
        if users.contains(&user) && !e["deleted"].as_bool().expect("deleted") {
            editors.entry(e["title"].as_str().expect("title").into()).or_default().insert(user.into());
        }
    }
    let shared: BTreeSet<String> = editors.into_iter().filter(|(_, who)| who.len() >= 2).map(|(t, _)| t).collect();
    let reported: BTreeSet<String> = found["shared_pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["title"].as_str().expect("title").to_string())
        .collect();
    assert_eq!(reported, shared);

    // The fixture's sock follows Vandal One by three minutes on both articles.
    for title in ["Disputed Article", "Another Page"] {
        let page =
            found["shared_pages"].as_array().expect("pages").iter().find(|p| p["title"] == title).expect("shared");
        let gap = page["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .find(|g| g["leader"] == "Vandal One" && g["follower"] == "Sock Two")
            .expect("gap");
        assert_eq!(gap["min_seconds"], 180, "{title}");
    }
    for (from, to) in [("Vandal One", "Clerk Alice"), ("Clerk Alice", "Vandal One"), ("Sock Two", "Clerk Alice")] {
        let want = expected["talk_messages"]
            .as_array()
            .expect("talk")
            .iter()
            .filter(|m| m["from"] == from && m["to"] == to)
            .count();
        let got = found["talk"]
            .as_array()
            .expect("talk")
            .iter()
            .find(|t| t["from"] == from && t["to"] == to)
            .map(|t| t["count"].as_u64().expect("count"));
        assert_eq!(got, Some(want as u64), "{from} → {to}");
    }
}

#[test]
fn a_reimport_adds_nothing_and_new_edits_exactly_once() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let r = book.case("harassment");
    let users = ["Vandal One", "Sock Two"];
    imported(&book, &r, &wiki.api_url(), &users);
    let events = book.json(["timeline", &r]).as_array().expect("events").len();
    let evidence = book.json(["evidence", "list", &r]).as_array().expect("evidence").len();
    imported(&book, &r, &wiki.api_url(), &users);
    assert_eq!(book.json(["timeline", &r]).as_array().expect("events").len(), events);
    assert_eq!(book.json(["evidence", "list", &r]).as_array().expect("evidence").len(), evidence);

    let edit = wiki.edit_as("Vandal One", "Another Page", "Fresh text after the first import.", "one more edit");
    imported(&book, &r, &wiki.api_url(), &users);
    let after = book.json(["timeline", &r]);
    assert_eq!(after.as_array().expect("events").len(), events + 1);
    let new: Vec<&Value> = after
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["summary"].as_str().is_some_and(|s| s.contains("one more edit")))
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["occurred_at"], edit["timestamp"]);
}

#[test]
fn with_content_keeps_each_revision_and_its_diff() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let r = book.case("harassment");
    let out = import(&book, &r, &wiki.api_url(), &["Sock Two"], &["--with-content"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let evidence = book.json(["evidence", "list", &r]);
    let items = evidence.as_array().expect("items");
    for e in wiki.expected()["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .filter(|e| e["user"] == "Sock Two" && e["deleted"] == false)
    {
        let revid = e["revid"].as_i64().expect("revid");
        let content =
            items.iter().find(|i| i["original_name"] == format!("rev-{revid}.wikitext")).expect("revision content");
        assert!(content["title"].as_str().expect("title").contains(e["sha1"].as_str().expect("sha1")));
        let parent = e["parentid"].as_i64().expect("parent");
        if parent != 0 {
            assert!(
                items.iter().any(|i| i["original_name"] == format!("rev-{parent}.wikitext")),
                "parent text of {revid}"
            );
            assert!(items.iter().any(|i| i["original_name"] == format!("diff-{revid}.txt")), "plain diff of {revid}");
            assert!(items.iter().any(|i| i["original_name"] == format!("diff-{revid}.json")), "API diff of {revid}");
        }
    }
}

#[test]
fn a_wiki_stopped_mid_import_leaves_whole_pages_and_a_retry_completes() {
    let mut wiki = Wiki::start_bulk(4000);
    let book = Casebook::new();
    let r = book.case("disinformation");
    let users = ["Vandal One", "Sock Two", "Clerk Alice", "Admin Bob"];
    let mut args: Vec<String> = vec![
        "import".into(),
        "mediawiki".into(),
        r.clone(),
        "--api".into(),
        wiki.api_url(),
        "--max-retries".into(),
        "1".into(),
    ];
    for u in users {
        args.extend(["--user".into(), u.into()]);
    }
    let mut child = book.command(&args).stderr(Stdio::piped()).stdout(Stdio::null()).spawn().expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("read") > 0 && !line.contains("stored") {
        line.clear();
    }
    wiki.stop();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("read");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "the import finished before the wiki stopped");
    assert!(rest.contains("error[wiki_unreachable]") && rest.contains("queued"), "{rest}");

    book.ok(["vault", "verify"]);
    let partial = book.json(["timeline", &r]).as_array().expect("events").len();
    let expected = expected_conduct(&wiki.expected(), &users);
    assert!(partial > 0 && partial < expected.len(), "{partial} of {}", expected.len());
    // Every stored page is whole: each listing's events are all there.
    for item in book.json(["evidence", "list", &r]).as_array().expect("evidence") {
        let out = book.path(&format!("{}.json", item["id"].as_str().expect("id")));
        book.ok(["evidence", "export", &r, item["id"].as_str().expect("id"), "--to", out.to_str().expect("utf8")]);
        let page: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("JSON");
        let listed = ["usercontribs", "logevents"]
            .iter()
            .filter_map(|l| page["query"][l].as_array())
            .map(Vec::len)
            .sum::<usize>();
        let linked = book
            .json(["timeline", &r])
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["evidence"][0] == item["id"])
            .count();
        assert!(linked > 0 && linked <= listed, "page {} holds {listed} entries but {linked} events", item["title"]);
    }

    wiki.restart();
    book.ok(["import", "resume"]);
    let done = conduct_in(&book, &r);
    let unique: BTreeSet<_> = done.iter().cloned().collect();
    assert_eq!(unique.len(), done.len(), "the retry duplicated events");
    assert_eq!(unique, expected);
}

/// Serves one canned HTTP response to every request, for failures a real wiki will not produce
/// on demand. `declared` overrides the Content-Length (to cut a body short). Returns the URL.
fn canned(headers: &str, body: &str, declared: Option<usize>) -> String {
    let response = format!(
        "HTTP/1.1 200 OK\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        declared.unwrap_or(body.len())
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}/w/api.php")
}

#[test]
fn unknown_users_and_bad_responses_are_clear_errors_that_store_nothing() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let r = book.case("harassment");
    let audit = book.audit_rows();
    let cases: Vec<(String, &str, &str)> = vec![
        (wiki.api_url(), "not_found", "Nobody Here"),
        (
            canned("Content-Type: text/html\r\n", "<!DOCTYPE html><p>Down for maintenance</p>", None),
            "wiki_bad_response",
            "HTML",
        ),
        (
            canned(
                "Content-Type: application/json\r\nMediaWiki-API-Error: badvalue\r\n",
                r#"{"error":{"code":"badvalue","info":"Unrecognized value"}}"#,
                None,
            ),
            "wiki_api_error",
            "badvalue",
        ),
        (
            canned("Content-Type: application/json\r\n", r#"{"batchcomplete":true,"query":{"users":[{"na"#, Some(5000)),
            "wiki_unreachable",
            "cut off",
        ),
        (
            canned("Content-Type: application/json\r\n", r#"{"batchcomplete":true,"query":{"users":[{"na"#, None),
            "wiki_bad_response",
            "malformed",
        ),
    ];
    for (api, code, says) in cases {
        let user = if code == "not_found" { "Nobody Here" } else { "Vandal One" };
        let out = import(&book, &r, &api, &[user], &["--max-retries", "0"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().expect("an error line");
        assert!(last.starts_with(&format!("error[{code}]")) && last.contains(says), "{api}: {last}");
        assert!(book.json(["timeline", &r]).as_array().expect("events").is_empty());
        assert!(book.json(["evidence", "list", &r]).as_array().expect("evidence").is_empty());
    }
    assert_eq!(book.audit_rows(), audit, "a failed import wrote to the audit chain");
}

#[test]
fn imports_into_a_child_protection_case_are_restricted() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let r = book.case("child_protection");
    imported(&book, &r, &wiki.api_url(), &["Sock Two"]);
    let evidence = book.json(["evidence", "list", &r]);
    assert!(!evidence.as_array().expect("items").is_empty());
    assert!(evidence.as_array().expect("items").iter().all(|e| e["sensitivity"] == "restricted"), "{evidence}");
}
