//! A real MediaWiki 1.39 (Debian's package) serving a populated, private wiki on 127.0.0.1, for
//! the import client's cross-process tests.
//!
//! The populated wiki is built once per machine by `tests/fixtures/mediawiki/build.sh` and cached
//! under `/var/tmp/casebook-mediawiki-<hash of the fixture files>`; each [`Wiki`] serves its own
//! copy of it with PHP's built-in server, so tests can edit, stop and restart it freely.
//! `expected.json` in the copy describes the conduct the fixture made, with MediaWiki's real ids.
//!
//! Needs the packages that `tests/fixtures/mediawiki/install.sh` installs.

use sha2::{Digest, Sha256};
use std::{
    fs,
    io::{Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Mutex, OnceLock},
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use tempfile::TempDir;

/// Where Debian's `mediawiki` package puts MediaWiki.
pub const MW_INSTALL_PATH: &str = "/usr/share/mediawiki";

/// Where built templates are cached (survives reboots on Debian, unlike /tmp).
const CACHE_ROOT: &str = "/var/tmp";

/// How long to wait for a started server to answer api.php.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// One running wiki: a private copy of the populated template, served on 127.0.0.1:`port`.
pub struct Wiki {
    /// The copy's directory (LocalSettings.php, data/, expected.json, server.log).
    root: PathBuf,
    port: u16,
    child: Option<Child>,
    expected: serde_json::Value,
    /// Removed (with the copy) when the wiki is dropped, after the server is stopped.
    _tmp: TempDir,
}

impl Wiki {
    /// Serves a fresh copy of the populated wiki (built and cached on first use).
    pub fn start() -> Wiki {
        Wiki::start_from(&template(0))
    }

    /// A second wiki beside [`Wiki::start`]'s, on its own port with its own data: the same
    /// scripted history (copied, not rebuilt, so it starts as fast) plus two edits made now that
    /// only it has, by Vandal One on "Disputed Article" and by Sock Two on "Another Page" (added
    /// to its [`Wiki::expected`]). The same titles on both wikis are different pages.
    pub fn start_second() -> Wiki {
        let mut wiki = Wiki::start();
        let edits = [
            ("Vandal One", "Disputed Article", "Only the second wiki has this text.\n", "only on the second wiki"),
            ("Sock Two", "Another Page", "The second wiki has this text too.\n", "second wiki, second edit"),
        ];
        for (user, title, text, summary) in edits {
            let edit = wiki.edit_as(user, title, text, summary);
            wiki.expected["edits"].as_array_mut().expect("edits").push(edit);
        }
        wiki
    }

    /// Like [`Wiki::start`], with `n` extra bulk edits over 4 accounts and 200 pages (cached
    /// separately; building n = 10,000 takes a few minutes the first time).
    pub fn start_bulk(n: usize) -> Wiki {
        Wiki::start_from(&template(n))
    }

    fn start_from(template: &Path) -> Wiki {
        let tmp = tempfile::Builder::new().prefix("casebook-wiki-").tempdir().expect("temp dir for the wiki copy");
        let root = tmp.path().join("wiki");
        copy_dir(template, &root);
        let text = fs::read_to_string(root.join("expected.json")).expect("read expected.json of the wiki copy");
        let expected = serde_json::from_str(&text).expect("expected.json is JSON");
        let mut wiki = Wiki { root, port: 0, child: None, expected, _tmp: tmp };
        // Another process may take the free port between our probe and PHP's bind: try again.
        for attempt in 1..=5 {
            wiki.port = free_port();
            match wiki.spawn() {
                Ok(()) => return wiki,
                Err(why) if attempt < 5 => eprintln!("mediawiki: port {} failed ({why}); retrying", wiki.port),
                Err(why) => panic!("mediawiki: could not start PHP's server: {why}"),
            }
        }
        unreachable!("the loop returns or panics")
    }

    /// `http://127.0.0.1:PORT/api.php`
    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}/api.php", self.port)
    }

    /// The port the wiki is served on (kept across [`Wiki::restart`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// This copy's directory: LocalSettings.php, data/ (SQLite), expected.json, server.log.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    /// The parsed expected.json: what the fixture did, with the ids MediaWiki assigned.
    pub fn expected(&self) -> serde_json::Value {
        self.expected.clone()
    }

    /// Is the server process running (it may still refuse connections right after a stop)?
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// GET api.php with these parameters (`format=json&formatversion=2` added unless given) and
    /// parse the answer. Panics if the server does not answer with JSON.
    pub fn api_get(&self, params: &[(&str, &str)]) -> serde_json::Value {
        let mut query: Vec<(&str, &str)> = params.to_vec();
        if !query.iter().any(|(k, _)| *k == "format") {
            query.push(("format", "json"));
        }
        if !query.iter().any(|(k, _)| *k == "formatversion") {
            query.push(("formatversion", "2"));
        }
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v))).collect();
        let path = format!("/api.php?{}", query.join("&"));
        let (status, body) = http_get(self.port, &path)
            .unwrap_or_else(|why| panic!("GET {path} on port {}: {why}\n{}", self.port, self.server_log()));
        assert_eq!(status, 200, "GET {path}: HTTP {status}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|why| panic!("GET {path}: not JSON ({why}): {body}"))
    }

    /// The PHP server's output so far (for failure messages).
    pub fn server_log(&self) -> String {
        fs::read_to_string(self.root.join("server.log")).unwrap_or_default()
    }

    /// Stops the server: SIGTERM to its whole process group (the PHP workers too), then waits
    /// for it to exit and for the port to stop answering. Idempotent.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let pgid = child.id();
        signal_group("TERM", pgid);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                Ok(None) | Err(_) => {
                    signal_group("KILL", pgid);
                    let _ = child.wait();
                    break;
                }
            }
        }
        // Workers of the group can outlive the parent for a moment.
        let deadline = Instant::now() + Duration::from_secs(10);
        while connects(self.port) && Instant::now() < deadline {
            signal_group("KILL", pgid);
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Serves the same copy (same data, same port) again, stopping it first if it runs.
    pub fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.spawn() {
                Ok(()) => return,
                Err(why) if Instant::now() < deadline => {
                    eprintln!("mediawiki: restart on port {} failed ({why}); retrying", self.port);
                    thread::sleep(Duration::from_millis(200));
                }
                Err(why) => panic!("mediawiki: could not restart on port {}: {why}", self.port),
            }
        }
    }

    /// Makes a NEW edit now (real current time) as the existing account `user`, on this copy's
    /// data (the server may be running or stopped). Returns the edit in the shape of
    /// expected.json's "edits" entries (`revid`, `parentid`, `timestamp`, `size`, ...).
    /// The edit is not added to [`Wiki::expected`].
    pub fn edit_as(&self, user: &str, title: &str, text: &str, summary: &str) -> serde_json::Value {
        require_packages();
        let mut child = Command::new("php")
            .arg(Path::new(MW_INSTALL_PATH).join("maintenance/runScript.php"))
            .arg(fixture_dir().join("Populate.php"))
            .args(["--edit-as", user, "--title", title, "--summary", summary])
            .env("MW_INSTALL_PATH", MW_INSTALL_PATH)
            .env("MW_CONFIG_FILE", self.root.join("LocalSettings.php"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run php for edit_as");
        child.stdin.take().expect("piped stdin").write_all(text.as_bytes()).expect("write the edit's text to php");
        let out = child.wait_with_output().expect("wait for php edit_as");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "edit_as({user:?}, {title:?}) failed: {}\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout.lines().rev().find(|l| l.starts_with('{')).expect("edit_as prints the edit as JSON");
        serde_json::from_str(line).expect("edit_as output is JSON")
    }

    /// Blocks `target` NOW as the admin `by`, with `reason` and `expiry` (e.g. "1 week"), on this
    /// copy's data. Returns the block's log entry in the shape of expected.json's "logs"
    /// entries; it is not added to [`Wiki::expected`].
    pub fn block_as(&self, by: &str, target: &str, expiry: &str, reason: &str) -> serde_json::Value {
        require_packages();
        let out = Command::new("php")
            .arg(Path::new(MW_INSTALL_PATH).join("maintenance/runScript.php"))
            .arg(fixture_dir().join("Populate.php"))
            .args(["--block-as", by, "--target", target, "--expiry", expiry, "--reason", reason])
            .env("MW_INSTALL_PATH", MW_INSTALL_PATH)
            .env("MW_CONFIG_FILE", self.root.join("LocalSettings.php"))
            .stdin(Stdio::null())
            .output()
            .expect("run php for block_as");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "block_as({by:?}, {target:?}) failed: {}\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout.lines().rev().find(|l| l.starts_with('{')).expect("block_as prints the log entry as JSON");
        serde_json::from_str(line).expect("block_as output is JSON")
    }

    /// Starts PHP's server on `self.port` and waits until api.php answers.
    fn spawn(&mut self) -> Result<(), String> {
        require_packages();
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.root.join("server.log"))
            .map_err(|e| format!("open server.log: {e}"))?;
        let log2 = log.try_clone().map_err(|e| format!("clone server.log: {e}"))?;
        // A freshly forked child is not a process-group leader, so setsid execs php in place
        // and php's pid is the id of its new process group (and session).
        let mut child = Command::new("setsid")
            .arg("php")
            .arg("-S")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("-t")
            .arg(MW_INSTALL_PATH)
            .current_dir(&self.root)
            .env("MW_INSTALL_PATH", MW_INSTALL_PATH)
            .env("MW_CONFIG_FILE", self.root.join("LocalSettings.php"))
            .env("PHP_CLI_SERVER_WORKERS", "4")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("spawn setsid php -S: {e}"))?;
        let deadline = Instant::now() + START_TIMEOUT;
        let probe = "/api.php?action=query&meta=siteinfo&format=json";
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("php -S exited with {status}: {}", self.server_log()));
            }
            if matches!(http_get(self.port, probe), Ok((200, body)) if body.contains("\"sitename\"")) {
                self.child = Some(child);
                return Ok(());
            }
            if Instant::now() > deadline {
                signal_group("KILL", child.id());
                let _ = child.wait();
                return Err(format!("api.php did not answer within {START_TIMEOUT:?}: {}", self.server_log()));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Wiki {
    fn drop(&mut self) {
        self.stop()
    }
}

/// `tests/fixtures/mediawiki` in the source tree.
pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mediawiki")
}

/// Panics with the fix when MediaWiki or PHP's SQLite driver is missing.
fn require_packages() {
    static OK: OnceLock<bool> = OnceLock::new();
    let ok = *OK.get_or_init(|| {
        Path::new(MW_INSTALL_PATH).join("maintenance/install.php").exists()
            && Command::new("php")
                .args(["-r", "exit(extension_loaded('pdo_sqlite') && extension_loaded('intl') ? 0 : 1);"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
            && Command::new("setsid").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success())
    });
    assert!(
        ok,
        "MediaWiki 1.39 with PHP (pdo_sqlite, intl) is not installed: run `sudo tests/fixtures/mediawiki/install.sh`"
    );
}

/// The populated template for `bulk` extra edits: built once per machine, rebuilt when the
/// fixture files (or the installed MediaWiki) change.
fn template(bulk: usize) -> PathBuf {
    require_packages();
    // One build at a time in this process; other processes are handled by build-and-rename.
    static BUILDING: Mutex<()> = Mutex::new(());
    let _guard = BUILDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());

    let mut name = format!("casebook-mediawiki-{}", fixture_hash());
    if bulk > 0 {
        name.push_str(&format!("-bulk{bulk}"));
    }
    let cache = Path::new(CACHE_ROOT).join(&name);
    if cache.join("expected.json").exists() {
        return cache;
    }
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let building = cache.with_file_name(format!("{name}.tmp-{}-{nanos}", std::process::id()));
    let mut cmd = Command::new("bash");
    cmd.arg(fixture_dir().join("build.sh")).arg(&building);
    if bulk > 0 {
        cmd.arg("--bulk").arg(bulk.to_string());
    }
    let started = Instant::now();
    let out = cmd.output().expect("run tests/fixtures/mediawiki/build.sh");
    if !out.status.success() {
        let _ = fs::remove_dir_all(&building);
        panic!(
            "tests/fixtures/mediawiki/build.sh failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    eprintln!(
        "mediawiki: built {} in {:.1}s: {}",
        cache.display(),
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&out.stdout).trim()
    );
    if let Err(why) = fs::rename(&building, &cache) {
        // Another process won the race: use its template.
        let _ = fs::remove_dir_all(&building);
        assert!(cache.join("expected.json").exists(), "rename {} -> {}: {why}", building.display(), cache.display());
    }
    cache
}

/// sha256 over the fixture files and the installed MediaWiki version, 16 hex digits.
fn fixture_hash() -> String {
    let dir = fixture_dir();
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("read tests/fixtures/mediawiki")
        .map(|e| e.expect("fixture dir entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut hash = Sha256::new();
    for name in names {
        let bytes = fs::read(dir.join(&name)).expect("read a fixture file");
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    // MW_VERSION lives here: a MediaWiki upgrade rebuilds the template.
    hash.update(fs::read(Path::new(MW_INSTALL_PATH).join("includes/Defines.php")).unwrap_or_default());
    hex::encode(&hash.finalize()[..8])
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

fn connects(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

/// `kill -SIG -- -PGID` (the `kill` command: this workspace forbids `unsafe`).
fn signal_group(signal: &str, pgid: u32) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pgid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A plain HTTP/1.0 GET on 127.0.0.1:`port`; returns (status, body).
pub fn http_get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_secs(2))
        .map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| format!("read: {e}"))?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| format!("no HTTP header end in {text:?}"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line in {head:?}"))?;
    Ok((status, body.to_string()))
}

fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every page of a list query, following `continue`.
    fn list_all(wiki: &Wiki, list: &str, params: &[(&str, &str)]) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cont: Vec<(String, String)> = Vec::new();
        loop {
            let mut query: Vec<(&str, &str)> = vec![("action", "query"), ("list", list)];
            query.extend_from_slice(params);
            query.extend(cont.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let page = wiki.api_get(&query);
            assert!(page.get("error").is_none(), "{page}");
            out.extend(page["query"][list].as_array().expect("a list").iter().cloned());
            match page.get("continue").and_then(Value::as_object) {
                Some(c) => cont = c.iter().map(|(k, v)| (k.clone(), v.as_str().expect("string").to_string())).collect(),
                None => return out,
            }
        }
    }

    fn contribs(wiki: &Wiki, user: &str) -> Vec<Value> {
        list_all(
            wiki,
            "usercontribs",
            &[("ucuser", user), ("uclimit", "7"), ("ucprop", "ids|title|timestamp|comment|size|flags")],
        )
    }

    /// The fields usercontribs and expected.json's edits share.
    fn key(e: &Value) -> Value {
        serde_json::json!([
            e["revid"],
            e["parentid"],
            e["pageid"],
            e["ns"],
            e["title"],
            e["timestamp"],
            e["comment"],
            e["size"],
            e["minor"],
            e["new"],
            e["top"]
        ])
    }

    #[test]
    fn serves_the_expected_conduct_and_stops_restarts_and_edits() {
        let mut wiki = Wiki::start();
        let expected = wiki.expected();
        assert!(wiki.api_url().starts_with("http://127.0.0.1:"));

        // usercontribs of Vandal One: exactly the non-deleted scripted edits, newest first.
        let edits = expected["edits"].as_array().expect("edits");
        let mut want: Vec<&Value> =
            edits.iter().filter(|e| e["user"] == "Vandal One" && e["deleted"] == false).collect();
        want.sort_by(|a, b| {
            (b["timestamp"].as_str(), b["revid"].as_u64()).cmp(&(a["timestamp"].as_str(), a["revid"].as_u64()))
        });
        let got = contribs(&wiki, "Vandal One");
        assert_eq!(got.iter().map(key).collect::<Vec<_>>(), want.iter().map(|e| key(e)).collect::<Vec<_>>());
        assert!(edits.iter().any(|e| e["user"] == "Vandal One" && e["deleted"] == true), "a deleted edit exists");
        assert!(want.len() >= 8, "Vandal One has enough visible edits: {}", want.len());

        // The block, protection and deletion logs, with their real ids, times and performers.
        let logs = list_all(&wiki, "logevents", &[("lelimit", "max")]);
        for (kind, action) in [("block", "block"), ("block", "unblock"), ("protect", "protect"), ("delete", "delete")] {
            let want: Vec<&Value> = expected["logs"]
                .as_array()
                .expect("logs")
                .iter()
                .filter(|l| l["type"] == kind && l["action"] == action)
                .collect();
            assert!(!want.is_empty(), "{kind}/{action} in expected.json");
            for w in want {
                let g = logs.iter().find(|l| l["logid"] == w["logid"]).expect("log entry served");
                for (gk, wk) in [
                    ("type", "type"),
                    ("action", "action"),
                    ("user", "performer"),
                    ("title", "title"),
                    ("timestamp", "timestamp"),
                    ("comment", "comment"),
                    ("params", "params"),
                ] {
                    assert_eq!(g[gk], w[wk], "{gk} of log {}", w["logid"]);
                }
            }
        }
        assert_eq!(logs.len(), expected["logs"].as_array().expect("logs").len());

        // A new edit made now shows up first, after the scripted ones.
        let new = wiki.edit_as("Vandal One", "Another Page", "Fresh text.\n", "new edit now");
        let got = contribs(&wiki, "Vandal One");
        assert_eq!(got.len(), want.len() + 1);
        assert_eq!(got[0]["revid"], new["revid"]);
        assert_eq!(got[0]["comment"], "new edit now");
        assert_eq!(got[0]["timestamp"], new["timestamp"]);

        // Stop: the port no longer answers. Restart: same port, same data.
        let port = wiki.port();
        wiki.stop();
        assert!(!wiki.is_running());
        assert!(http_get(port, "/api.php").is_err(), "port {port} still answers after stop");
        wiki.restart();
        assert_eq!(wiki.port(), port);
        assert_eq!(contribs(&wiki, "Vandal One")[0]["revid"], new["revid"]);
        wiki.stop();
        assert!(http_get(port, "/api.php").is_err(), "port {port} still answers after the second stop");
    }

    #[test]
    fn copies_are_independent_and_answer_concurrent_requests() {
        let (a, b) = thread::scope(|s| {
            let a = s.spawn(Wiki::start);
            let b = s.spawn(Wiki::start);
            (a.join().expect("start a"), b.join().expect("start b"))
        });
        assert_ne!(a.port(), b.port());
        a.edit_as("Sock Two", "Another Page", "Only in a.\n", "only in a");
        assert_eq!(contribs(&a, "Sock Two").len(), contribs(&b, "Sock Two").len() + 1);
        // A few requests in flight at once (PHP_CLI_SERVER_WORKERS=4).
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| assert!(!contribs(&a, "Clerk Alice").is_empty()));
            }
        });
    }

    #[test]
    fn a_second_wiki_differs_and_a_block_made_now_is_logged() {
        let first = Wiki::start();
        let second = Wiki::start_second();
        assert_ne!(first.port(), second.port());
        assert_eq!(contribs(&second, "Vandal One").len(), contribs(&first, "Vandal One").len() + 1);
        assert_eq!(contribs(&second, "Vandal One")[0]["comment"], "only on the second wiki");
        assert_eq!(
            second.expected()["edits"].as_array().expect("edits").len(),
            first.expected()["edits"].as_array().expect("edits").len() + 2
        );

        let entry = first.block_as("Admin Bob", "Clerk Alice", "1 week", "Continued harassment");
        assert_eq!((entry["type"].as_str(), entry["title"].as_str()), (Some("block"), Some("User:Clerk Alice")));
        let served = list_all(&first, "logevents", &[("letitle", "User:Clerk Alice"), ("letype", "block")]);
        assert_eq!(served.len(), 1);
        assert_eq!(served[0]["logid"], entry["logid"]);
        assert_eq!(served[0]["comment"], "Continued harassment");
    }

    #[test]
    fn bulk_template_adds_n_edits_over_four_accounts() {
        let wiki = Wiki::start_bulk(40);
        let expected = wiki.expected();
        assert_eq!(expected["bulk"], 40);
        let edits = expected["edits"].as_array().expect("edits");
        let bulk = edits.iter().filter(|e| e["comment"].as_str().is_some_and(|c| c.starts_with("bulk edit "))).count();
        assert_eq!(bulk, 40);
        for user in ["Vandal One", "Sock Two", "Clerk Alice", "Admin Bob"] {
            let want = edits.iter().filter(|e| e["user"] == user && e["deleted"] == false).count();
            assert_eq!(contribs(&wiki, user).len(), want, "{user}");
        }
    }
}
