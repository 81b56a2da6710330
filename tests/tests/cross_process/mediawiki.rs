//! MediaWiki conduct import against a real MediaWiki 1.39 on loopback (tests/fixtures/mediawiki),
//! populated with known, back-dated conduct described in its expected.json.

use casebook_core::{
    Error, Vault,
    import::mediawiki::{ImportOptions, ImportRequest, ImportState, ImportUpdate, RetryPolicy, WikiImportResult},
};
use casebook_tests::{Casebook, PASS, mediawiki::Wiki, sha256_file};
use serde_json::Value;
use std::{
    collections::{BTreeSet, HashSet},
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    ops::ControlFlow,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
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
    conduct_on(book, reference, None)
}

/// `host:port` of a fixture wiki, as events and results name it.
fn host_of(wiki: &Wiki) -> String {
    format!("127.0.0.1:{}", wiki.port())
}

/// The case's imported conduct on one wiki (`Some(host)`), or on all of them.
fn conduct_on(book: &Casebook, reference: &str, wiki: Option<&str>) -> Vec<Conduct> {
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
        .filter(|e| wiki.is_none_or(|w| e["place"].as_str().expect("place").starts_with(&format!("{w}: "))))
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
    while stderr.read_line(&mut line).expect("read") > 0 && (!line.contains("stored") || line.contains("stored 0 new"))
    {
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

fn request(api: &str, users: &[&str]) -> ImportRequest {
    ImportRequest {
        api: api.to_string(),
        users: users.iter().map(|u| u.to_string()).collect(),
        since: None,
        until: None,
        with_content: false,
        namespaces: vec![],
    }
}

/// Gives up on a stopped wiki after one quick retry.
fn quick(cancel: Option<Arc<AtomicBool>>) -> ImportOptions {
    ImportOptions {
        retry: RetryPolicy { max_retries: 1, first_backoff: Duration::from_millis(50) },
        cancel,
        ..ImportOptions::default()
    }
}

/// Every stored contributions listing is whole: each of its revisions is one event linked to it
/// (contributions never overlap between pages, so none was known from elsewhere).
fn assert_pages_whole(book: &Casebook, r: &str) {
    let timeline = book.json(["timeline", r]);
    for item in book.json(["evidence", "list", r]).as_array().expect("evidence") {
        let out = book.path(&format!("{}.json", item["id"].as_str().expect("id")));
        book.ok(["evidence", "export", r, item["id"].as_str().expect("id"), "--to", out.to_str().expect("utf8")]);
        let page: Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("JSON");
        let linked = timeline.as_array().expect("events").iter().filter(|e| e["evidence"][0] == item["id"]).count();
        match page["query"]["usercontribs"].as_array() {
            Some(listed) => assert_eq!(linked, listed.len(), "contributions page {} is not whole", item["title"]),
            None => assert!(linked > 0, "listing {} stored without its events", item["title"]),
        }
    }
}

#[test]
fn a_cancel_half_way_keeps_committed_pages_and_a_rerun_adds_only_the_rest() {
    let wiki = Wiki::start_bulk(4000);
    let book = Casebook::new();
    let r = book.case("disinformation");
    let users = ["Vandal One", "Sock Two", "Clerk Alice", "Admin Bob"];
    let vault = Vault::unlock(&book.vault, PASS).expect("unlock");
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    // The flag, not the callback's answer, stops it: as the desktop's Cancel button does.
    let mut progress = |u: &ImportUpdate| {
        if u.items_stored > 0 {
            flag.store(true, Ordering::SeqCst);
        }
        ControlFlow::Continue(())
    };
    let stopped =
        vault.store().import_wikis(&r, &[request(&wiki.api_url(), &users)], quick(Some(cancel)), &mut progress);
    assert!(matches!(stopped, Err(Error::Cancelled)), "{stopped:?}");
    let records = vault.store().wiki_imports(Some(&r)).expect("records");
    assert_eq!((records[0].state.as_str(), records[0].error.as_deref()), ("failed", Some("cancelled")));

    book.ok(["vault", "verify"]);
    let expected = expected_conduct(&wiki.expected(), &users);
    let partial = conduct_in(&book, &r);
    assert!(!partial.is_empty() && partial.len() < expected.len(), "{} of {}", partial.len(), expected.len());
    assert_pages_whole(&book, &r);

    let mut quiet = |_: &ImportUpdate| ControlFlow::Continue(());
    let done =
        vault.store().import_wikis(&r, &[request(&wiki.api_url(), &users)], quick(None), &mut quiet).expect("rerun");
    assert_eq!(done[0].state, ImportState::Done, "{:?}", done[0].message);
    assert_eq!(
        done[0].progress.items_stored as usize,
        expected.len() - partial.len(),
        "the rerun stored only the rest"
    );
    let all = conduct_in(&book, &r);
    let unique: BTreeSet<_> = all.iter().cloned().collect();
    assert_eq!(unique.len(), all.len(), "the rerun duplicated events");
    assert_eq!(unique, expected);
}

/// Accepts connections and never answers, for a request that hangs.
fn silent() -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().take(1).collect();
        // Keep the connection open until the client goes away.
        for mut stream in held.into_iter().flatten() {
            let mut buf = [0u8; 1024];
            while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
        }
    });
    (format!("http://127.0.0.1:{port}/w/api.php"), handle)
}

#[test]
fn a_cancel_stops_a_request_that_hangs() {
    let (api, server) = silent();
    let book = Casebook::new();
    let r = book.case("harassment");
    let vault = Vault::unlock(&book.vault, PASS).expect("unlock");
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let setter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        flag.store(true, Ordering::SeqCst);
    });
    // Without the cancel the hanging request would end, after the client's timeout, as a
    // queued import (Ok); with it, the import is cancelled.
    let mut quiet = |_: &ImportUpdate| ControlFlow::Continue(());
    let result = vault.store().import_wikis(&r, &[request(&api, &["Vandal One"])], quick(Some(cancel)), &mut quiet);
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    setter.join().expect("setter");
    // The dropped request closed its connection, so the silent server's read ends.
    server.join().expect("server");
    assert!(book.json(["timeline", &r]).as_array().expect("events").is_empty());
}

#[test]
fn one_person_on_two_wikis_is_imported_concurrently_and_each_event_names_its_wiki() {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(Wiki::start);
        let b = s.spawn(Wiki::start_second);
        (a.join().expect("start a"), b.join().expect("start b"))
    });
    let book = Casebook::new();
    let r = book.case("global_ban");
    let users = ["Vandal One", "Sock Two"];
    let vault = Vault::unlock(&book.vault, PASS).expect("unlock");
    let mut updates: Vec<ImportUpdate> = Vec::new();
    let mut progress = |u: &ImportUpdate| {
        updates.push(u.clone());
        ControlFlow::Continue(())
    };
    let results = vault
        .store()
        .import_wikis(&r, &[request(&a.api_url(), &users), request(&b.api_url(), &users)], quick(None), &mut progress)
        .expect("import");
    let hosts: Vec<&str> = results.iter().map(|w| w.wiki.as_str()).collect();
    assert_eq!(hosts, [host_of(&a), host_of(&b)]);
    assert!(results.iter().all(|w| w.state == ImportState::Done), "{results:?}");

    for wiki in [&a, &b] {
        let got = conduct_on(&book, &r, Some(&host_of(wiki)));
        let unique: BTreeSet<_> = got.iter().cloned().collect();
        assert_eq!(unique.len(), got.len(), "an item was imported twice");
        assert_eq!(unique, expected_conduct(&wiki.expected(), &users), "conduct on {}", host_of(wiki));
    }
    let only_b: Vec<Value> = book
        .json(["timeline", &r])
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["summary"].as_str().is_some_and(|s| s.contains("only on the second wiki")))
        .cloned()
        .collect();
    assert_eq!(only_b.len(), 1);
    assert_eq!(only_b[0]["place"], format!("{}: Disputed Article", host_of(&b)));

    // Neither wiki has AbuseFilter: each account's abuse log says so, and the import went on.
    for wiki in [&a, &b] {
        for user in users {
            let said = updates.iter().find(|u| u.wiki == host_of(wiki) && u.account == user && u.list == "abuselog");
            let said = said.unwrap_or_else(|| panic!("no abuselog update for {user} on {}", host_of(wiki)));
            assert_eq!(said.state, ImportState::Done);
            assert_eq!(said.message.as_deref(), Some("AbuseFilter is not available on this wiki"));
        }
    }
    let last = updates.last().expect("updates");
    assert_eq!(last.total.items_stored, results.iter().map(|w| w.progress.items_stored).sum::<u64>());

    // The same title on two wikis is two shared pages, each with its own edits.
    let found = book.json(["interactions", &r]);
    let disputed: Vec<&Value> =
        found["shared_pages"].as_array().expect("pages").iter().filter(|p| p["title"] == "Disputed Article").collect();
    let wikis: BTreeSet<&str> = disputed.iter().map(|p| p["wiki"].as_str().expect("wiki")).collect();
    assert_eq!(wikis, BTreeSet::from([host_of(&a).as_str(), host_of(&b).as_str()]));
    let edits = |w: &Wiki| {
        disputed.iter().find(|p| p["wiki"] == host_of(w)).expect("page")["edits"].as_array().expect("edits").len()
    };
    assert_eq!(edits(&b), edits(&a) + 1);
}

#[test]
fn a_wiki_stopped_mid_import_is_queued_while_the_other_completes_and_a_resume_finishes_it() {
    let (small, big) = std::thread::scope(|s| {
        let small = s.spawn(Wiki::start);
        let big = s.spawn(|| Wiki::start_bulk(4000));
        (small.join().expect("start small"), big.join().expect("start big"))
    });
    let mut big = big;
    let book = Casebook::new();
    let r = book.case("disinformation");
    let users = ["Vandal One", "Sock Two", "Clerk Alice", "Admin Bob"];
    let vault = Vault::unlock(&book.vault, PASS).expect("unlock");
    let big_host = host_of(&big);
    let big_api = big.api_url();
    let mut progress = |u: &ImportUpdate| {
        if u.wiki == big_host && u.items_stored > 0 && big.is_running() {
            big.stop();
        }
        ControlFlow::Continue(())
    };
    let results = vault
        .store()
        .import_wikis(&r, &[request(&small.api_url(), &users), request(&big_api, &users)], quick(None), &mut progress)
        .expect("import");
    assert_eq!(results[0].state, ImportState::Done, "{:?}", results[0].message);
    assert_eq!(results[1].state, ImportState::Queued, "{:?}", results[1]);
    assert!(results[1].message.as_deref().is_some_and(|m| m.contains(&big_host)), "{:?}", results[1].message);
    let states: Vec<(String, String)> =
        vault.store().wiki_imports(Some(&r)).expect("records").into_iter().map(|w| (w.wiki, w.state)).collect();
    assert!(states.contains(&(big_host.clone(), "queued".into())), "{states:?}");
    assert!(states.contains(&(host_of(&small), "done".into())), "{states:?}");

    book.ok(["vault", "verify"]);
    let small_conduct: BTreeSet<_> = conduct_on(&book, &r, Some(&host_of(&small))).into_iter().collect();
    assert_eq!(small_conduct, expected_conduct(&small.expected(), &users));
    let expected_big = expected_conduct(&big.expected(), &users);
    let partial = conduct_on(&book, &r, Some(&big_host)).len();
    assert!(partial > 0 && partial < expected_big.len(), "{partial} of {}", expected_big.len());
    assert_pages_whole(&book, &r);

    big.restart();
    let mut quiet = |_: &ImportUpdate| ControlFlow::Continue(());
    let resumed: Vec<WikiImportResult> = vault.store().resume_wiki_imports(quick(None), &mut quiet).expect("resume");
    assert_eq!(resumed.len(), 1, "only the queued wiki runs again: {resumed:?}");
    assert_eq!((resumed[0].wiki.as_str(), resumed[0].state), (big_host.as_str(), ImportState::Done));
    let done = conduct_on(&book, &r, Some(&big_host));
    let unique: BTreeSet<_> = done.iter().cloned().collect();
    assert_eq!(unique.len(), done.len(), "the resume duplicated events");
    assert_eq!(unique, expected_big);
}

#[test]
fn an_import_killed_while_running_is_resumed() {
    let wiki = Wiki::start_bulk(4000);
    let book = Casebook::new();
    let r = book.case("disinformation");
    let users = ["Vandal One", "Sock Two"];
    let mut args: Vec<String> = vec!["import".into(), "mediawiki".into(), r.clone(), "--api".into(), wiki.api_url()];
    for u in users {
        args.extend(["--user".into(), u.into()]);
    }
    let mut child = book.command(&args).stderr(Stdio::piped()).stdout(Stdio::null()).spawn().expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("read") > 0 && (!line.contains("stored") || line.contains("stored 0 new"))
    {
        line.clear();
    }
    child.kill().expect("kill -9");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "the import finished before it was killed");

    let records = book.json(["import", "list", "--case", &r]);
    assert_eq!(records[0]["state"], "running", "{records}");
    let partial = conduct_in(&book, &r).len();
    let expected = expected_conduct(&wiki.expected(), &users);
    assert!(partial > 0 && partial < expected.len(), "{partial} of {}", expected.len());

    book.ok(["import", "resume"]);
    assert_eq!(book.json(["import", "list", "--case", &r])[0]["state"], "done");
    let done = conduct_in(&book, &r);
    let unique: BTreeSet<_> = done.iter().cloned().collect();
    assert_eq!(unique.len(), done.len(), "the resume duplicated events");
    assert_eq!(unique, expected);
}

/// A wiki that knows the account but answers its lists with nonsense: a contributions page
/// whose second entry lacks what every entry has, and broken JSON for everything else.
fn malformed_wiki() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let body = if head.contains("list=users") {
                r#"{"batchcomplete":true,"query":{"users":[{"userid":5,"name":"Vandal One","editcount":3}]}}"#
            } else if head.contains("list=usercontribs") {
                r#"{"batchcomplete":true,"query":{"usercontribs":[
                    {"revid":900,"ns":0,"title":"Good Entry","timestamp":"2026-01-06T10:00:00Z","user":"Vandal One"},
                    {"ns":0,"title":"Bad Entry","user":"Vandal One"}]}}"#
            } else {
                r#"{"batchcomplete":true,"query":{"logevents":[{"logid":"#
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/w/api.php")
}

#[test]
fn a_malformed_wiki_fails_alone_and_stores_nothing() {
    let wiki = Wiki::start();
    let bad = malformed_wiki();
    let book = Casebook::new();
    let r = book.case("harassment");
    let vault = Vault::unlock(&book.vault, PASS).expect("unlock");
    let mut quiet = |_: &ImportUpdate| ControlFlow::Continue(());
    let results = vault
        .store()
        .import_wikis(
            &r,
            &[request(&bad, &["Vandal One"]), request(&wiki.api_url(), &["Vandal One"])],
            quick(None),
            &mut quiet,
        )
        .expect("import");
    assert_eq!(results[0].state, ImportState::Failed);
    let message = results[0].message.as_deref().expect("a message");
    assert!(message.contains("malformed") || message.contains("lacks"), "{message}");
    assert_eq!(results[0].progress.items_stored, 0);
    assert_eq!(results[1].state, ImportState::Done);

    let bad_host = results[0].wiki.clone();
    assert!(conduct_on(&book, &r, Some(&bad_host)).is_empty(), "a malformed wiki's entries were stored");
    let evidence = book.json(["evidence", "list", &r]);
    assert!(
        evidence
            .as_array()
            .expect("evidence")
            .iter()
            .all(|e| !e["source_url"].as_str().unwrap_or("").starts_with(&bad))
    );
    assert!(!conduct_on(&book, &r, Some(&host_of(&wiki))).is_empty());
    let records = vault.store().wiki_imports(Some(&r)).expect("records");
    let failed = records.iter().find(|w| w.wiki == bad_host).expect("recorded");
    assert_eq!(failed.state, "failed");
    book.ok(["vault", "verify"]);
}

#[test]
fn a_block_reason_is_found_by_search() {
    let wiki = Wiki::start();
    wiki.block_as("Admin Bob", "Clerk Alice", "1 week", "Continued harassment");
    let book = Casebook::new();
    let r = book.case("harassment");
    imported(&book, &r, &wiki.api_url(), &["Clerk Alice"]);
    let hits = book.json(["search", "Continued harassment"]);
    let event = hits
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["entity"] == "event")
        .unwrap_or_else(|| panic!("no event found: {hits}"));
    let timeline = book.json(["timeline", &r]);
    let block = timeline
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["id"] == event["entity_id"])
        .expect("the hit is an event of the case");
    assert_eq!(block["category"], "block");
    // What the block did is searchable too, not only why.
    let hits = book.json(["search", "expiry 1 week nocreate"]);
    assert!(hits.as_array().expect("hits").iter().any(|h| h["entity_id"] == block["id"]), "{hits}");
}

#[test]
fn attached_wikis_on_a_wiki_without_centralauth_is_not_available() {
    let wiki = Wiki::start();
    let book = Casebook::new();
    let found = book.json(["import", "attached", "--api", &wiki.api_url(), "--user", "Vandal One"]);
    assert_eq!(found, serde_json::json!({ "available": false, "home": null, "wikis": [] }));
}

#[test]
fn several_apis_on_the_command_line_import_each_wiki() {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(Wiki::start);
        let b = s.spawn(Wiki::start_second);
        (a.join().expect("start a"), b.join().expect("start b"))
    });
    let book = Casebook::new();
    let r = book.case("global_ban");
    let args = [
        "import",
        "mediawiki",
        &r,
        "--api",
        &a.api_url(),
        "--api",
        &b.api_url(),
        "--user",
        "Sock Two",
        "--namespace",
        "0",
    ];
    let results = book.json(args);
    let states: Vec<(&str, &str)> = results
        .as_array()
        .expect("results")
        .iter()
        .map(|w| (w["wiki"].as_str().expect("wiki"), w["state"].as_str().expect("state")))
        .collect();
    assert_eq!(states, [(host_of(&a).as_str(), "done"), (host_of(&b).as_str(), "done")]);
    // --namespace 0: articles only, no talk pages.
    let revs: Vec<Conduct> = conduct_in(&book, &r).into_iter().filter(|c| c.3 == "rev").collect();
    assert!(!revs.is_empty());
    assert!(revs.iter().all(|c| !c.2.contains("alk:")), "{revs:?}");
}

#[test]
fn a_cancelled_resume_leaves_the_import_queued() {
    // A port nothing listens on: the wiki is unreachable, so the import is queued.
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let api = format!("http://127.0.0.1:{port}/w/api.php");
    let book = Casebook::new();
    let r = book.case("harassment");
    let vault = Vault::unlock(&book.vault, PASS).expect("unlock");
    let mut quiet = |_: &ImportUpdate| ControlFlow::Continue(());
    let results =
        vault.store().import_wikis(&r, &[request(&api, &["Vandal One"])], quick(None), &mut quiet).expect("import");
    assert_eq!(results[0].state, ImportState::Queued);
    let cancelled = vault.store().resume_wiki_imports(quick(Some(Arc::new(AtomicBool::new(true)))), &mut quiet);
    assert!(matches!(cancelled, Err(Error::Cancelled)), "{cancelled:?}");
    let records = vault.store().wiki_imports(Some(&r)).expect("records");
    assert_eq!(records[0].state, "queued", "a cancelled resume dropped the import from the next one");
}
