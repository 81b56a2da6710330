//! The real desktop app under WebDriver: a private Xvfb display, `tauri-driver` (which runs
//! WebKitWebDriver, which runs `casebook-desktop`), a fresh vault per test, and helpers that
//! find elements by `data-testid` (the hooks listed in docs/desktop.md). Used by the e2e tests
//! and by the desktop benchmarks.

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;
use tokio::sync::{Mutex, MutexGuard};

/// One app at a time: the tests share a machine's WebKit and, under `cargo test`, a process.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// How long the UI may take to show what a step waits for.
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);

pub struct App {
    pub client: Client,
    /// tauri-driver's process id: the app and its WebKit processes are its descendants.
    pub driver_pid: u32,
    /// When the WebDriver session (and so the app's process) was asked for.
    pub session_requested: Instant,
    pub tmp: TempDir,
    screenshots: PathBuf,
    /// The private X display the app runs on (`:N`).
    display: String,
    driver: Process,
    _xvfb: Process,
    _serial: MutexGuard<'static, ()>,
}

/// A child process stopped with SIGTERM (then SIGKILL after a grace period) when dropped.
struct Process {
    name: &'static str,
    child: Child,
}

impl Process {
    fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} ignored SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A required program, or a failure that says how to get it: a missing tool must never turn
/// into a silently skipped test.
fn require(path: PathBuf, how: &str) -> PathBuf {
    assert!(path.is_file(), "{} is missing: {how}", path.display());
    path
}

fn in_path(name: &str) -> Option<PathBuf> {
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    let home_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    std::env::split_paths(&dirs).chain(home_bin).map(|d| d.join(name)).find(|p| p.is_file())
}

/// `casebook-desktop` built beside this test (`cargo build -p casebook-desktop`), or
/// `CASEBOOK_DESKTOP_BIN`.
pub fn desktop_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("CASEBOOK_DESKTOP_BIN") {
        return require(PathBuf::from(path), "CASEBOOK_DESKTOP_BIN names no file");
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
    require(profile_dir.join("casebook-desktop"), "run `cargo build -p casebook-desktop` first (make test does)")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// Starts Xvfb on a display nobody uses and waits for its socket.
fn start_xvfb() -> (Process, String) {
    let xvfb = require(
        in_path("Xvfb").unwrap_or_else(|| PathBuf::from("/usr/bin/Xvfb")),
        "install the xvfb package (scripts/install-deps.sh does)",
    );
    let base = 90 + std::process::id() % 400;
    let number = (base..base + 100)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number");
    let display = format!(":{number}");
    let child = Command::new(xvfb)
        .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting Xvfb");
    let mut process = Process { name: "Xvfb", child };
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        if let Ok(Some(status)) = process.child.try_wait() {
            panic!("Xvfb {display} exited at start: {status}");
        }
        assert!(Instant::now() < deadline, "Xvfb {display} did not start within 10 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    process.name = "Xvfb";
    (process, display)
}

impl App {
    /// Launches the app on a fresh, empty vault directory.
    pub async fn launch(test: &str) -> App {
        let tmp = tempfile::tempdir().expect("tempdir");
        let vault = tmp.path().join("vault");
        App::launch_with(&desktop_bin(), tmp, &vault, test).await
    }

    /// Launches `app` (any Tauri binary) with `CASEBOOK_VAULT=vault`; `tmp` lives as long as it.
    pub async fn launch_with(app: &Path, tmp: TempDir, vault: &Path, test: &str) -> App {
        let serial = ONE_AT_A_TIME.lock().await;
        let tauri_driver = require(
            in_path("tauri-driver").unwrap_or_else(|| PathBuf::from("tauri-driver")),
            "run `cargo install tauri-driver --locked --version 2.1.0` (scripts/install-deps.sh does)",
        );
        require(
            in_path("WebKitWebDriver").unwrap_or_else(|| PathBuf::from("/usr/bin/WebKitWebDriver")),
            "install the webkit2gtk-driver package (scripts/install-deps.sh does)",
        );
        let (xvfb, display) = start_xvfb();
        let (port, native_port) = (free_port(), free_port());
        let child = Command::new(tauri_driver)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display)
            .env("CASEBOOK_VAULT", vault)
            // WebKit's caches and the app's data dir stay inside the test's temp directory.
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting tauri-driver");
        let driver = Process { name: "tauri-driver", child };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on port {port} within 15 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": app }));
        // tauri-driver listens before WebKitWebDriver behind it does: retry the first session.
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let (client, session_requested) = loop {
            let asked = Instant::now();
            match ClientBuilder::new(HttpConnector::new()).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break (client, asked),
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("no WebDriver session with the app within 20 s: {e}"),
            }
        };
        let screenshots = screenshot_dir().join(test);
        // Only this run's screenshots: a stale one from an earlier failure would mislead.
        let _ = std::fs::remove_dir_all(&screenshots);
        std::fs::create_dir_all(&screenshots).expect("screenshot directory");
        let driver_pid = driver.child.id();
        App { client, driver_pid, session_requested, tmp, screenshots, display, driver, _xvfb: xvfb, _serial: serial }
    }

    /// Ends the session (the app quits) and stops tauri-driver with SIGTERM.
    pub async fn quit(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        self.driver.stop();
    }

    fn by_id(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// The first element with this test id, once it is displayed.
    pub async fn find(&self, testid: &str) -> Element {
        self.find_within(testid, UI_TIMEOUT).await
    }

    /// The first element with this test id, once it is displayed, waiting up to `timeout`.
    pub async fn find_within(&self, testid: &str, timeout: Duration) -> Element {
        let css = Self::by_id(testid);
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(elements) = self.client.find_all(Locator::Css(&css)).await {
                for element in elements {
                    if element.is_displayed().await.unwrap_or(false) {
                        return element;
                    }
                }
            }
            if Instant::now() > deadline {
                self.screenshot(&format!("missing-{testid}")).await;
                panic!("no visible [data-testid={testid}] within {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every element with this test id, in document order.
    pub async fn all(&self, testid: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(&Self::by_id(testid))).await.expect("find_all")
    }

    /// Waits until `count` elements carry this test id.
    pub async fn wait_count(&self, testid: &str, count: usize) -> Vec<Element> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let found = self.all(testid).await;
            if found.len() == count {
                return found;
            }
            if Instant::now() > deadline {
                self.screenshot(&format!("count-{testid}")).await;
                panic!("expected {count} [data-testid={testid}], found {}", found.len());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, testid: &str) {
        let element = self.find(testid).await;
        element.click().await.unwrap_or_else(|e| panic!("clicking {testid}: {e}"));
    }

    /// Replaces an input's value, as typing would.
    pub async fn fill(&self, testid: &str, text: &str) {
        let element = self.find(testid).await;
        element.clear().await.unwrap_or_else(|e| panic!("clearing {testid}: {e}"));
        element.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {testid}: {e}"));
    }

    /// Sets a control's value through the DOM and tells the UI it changed: for `<select>`
    /// and date-time inputs, whose typing rules differ between WebDriver implementations.
    pub async fn set_value(&self, testid: &str, value: &str) {
        let element = self.find(testid).await;
        let arg = serde_json::to_value(&element).expect("element reference");
        self.client
            .execute(
                "const el = arguments[0]; el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![arg, json!(value)],
            )
            .await
            .unwrap_or_else(|e| panic!("setting {testid}: {e}"));
    }

    pub async fn text(&self, testid: &str) -> String {
        self.find(testid).await.text().await.unwrap_or_else(|e| panic!("reading {testid}: {e}"))
    }

    /// Waits until the element with this test id shows text containing `expected`.
    pub async fn wait_text(&self, testid: &str, expected: &str) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            for element in self.all(testid).await {
                if let Ok(text) = element.text().await
                    && text.contains(expected)
                {
                    return text;
                }
            }
            if Instant::now() > deadline {
                self.screenshot(&format!("text-{testid}")).await;
                panic!("no [data-testid={testid}] showed {expected:?} within {UI_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the screen as `<screenshot dir>/<test>/<name>.png`.
    ///
    /// The picture comes from the X display (ImageMagick's `import`), as a person would see the
    /// window, not from WebDriver: WebKitWebDriver's snapshot waits for a compositor frame that
    /// WebKit's non-DMA-BUF renderer (what the app chooses with no GPU, `src-tauri/src/renderer.rs`)
    /// never delivers once the page has changed, and the session then hangs.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = self.screenshots.join(format!("{name}.png"));
        // Let the page paint what the last step changed.
        let _ = self
            .client
            .execute_async(
                "const [done] = arguments; requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                Vec::new(),
            )
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let import =
            require(PathBuf::from("/usr/bin/import"), "install the imagemagick package (scripts/install-deps.sh does)");
        let status = Command::new(import)
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => eprintln!("screenshot {name} failed: import exited with {s}"),
            Err(e) => eprintln!("screenshot {name} failed: {e}"),
        }
        path
    }
}

/// `E2E_SCREENSHOTS`, or `e2e-screenshots/` in the target directory.
pub fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().expect("target/<profile>[/deps]");
    let profile_dir = if profile_dir.ends_with("deps") { profile_dir.parent().expect("profile") } else { profile_dir };
    profile_dir.parent().unwrap_or(profile_dir).join("e2e-screenshots")
}
