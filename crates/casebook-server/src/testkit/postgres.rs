//! A private PostgreSQL cluster for a test: `initdb` in a temp directory, `postgres` on a free
//! loopback port, stopped on drop. As root, both run as the `postgres` user (PostgreSQL refuses
//! root), which then owns the data directory. The binaries come from Debian's `postgresql`
//! package (`make deps`), or from `CASEBOOK_PG_BIN`.

use std::{
    net::TcpListener,
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    time::{Duration, Instant},
};

pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    owner: Option<(u32, u32)>,
    child: Option<Child>,
}

/// The directory holding `initdb` and `postgres`: `CASEBOOK_PG_BIN`, else the newest under
/// /usr/lib/postgresql.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CASEBOOK_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("postgres").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).unwrap_or_else(|| {
        panic!("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): run `make deps`, or set CASEBOOK_PG_BIN")
    })
}

/// The `postgres` user's uid and gid when this process is root; None otherwise.
fn unprivileged_owner() -> Option<(u32, u32)> {
    let id = |args: &[&str]| -> Option<u32> {
        let out = Command::new("id").args(args).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    };
    if id(&["-u"])? != 0 {
        return None;
    }
    Some((
        id(&["-u", "postgres"]).expect("running as root needs the `postgres` user (Debian's postgresql package)"),
        id(&["-g", "postgres"]).expect("the postgres group"),
    ))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl PgCluster {
    /// A new cluster, running and accepting connections.
    pub fn start() -> PgCluster {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("casebook-pg").tempdir().expect("tempdir");
        let owner = unprivileged_owner();
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown the cluster dir");
        }
        let mut initdb = Command::new(bin.join("initdb"));
        initdb.arg("-D").arg(dir.path().join("data")).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ]);
        let out = as_owner(&mut initdb, owner).output().expect("run initdb");
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let mut cluster = PgCluster { dir, bin, port: free_port(), owner, child: None };
        // The free port is only free when it was picked: a test starting beside this one may
        // take it first. Another port, then.
        for _ in 0..5 {
            if cluster.try_resume().is_ok() {
                return cluster;
            }
            cluster.port = free_port();
        }
        cluster.resume();
        cluster
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL to a fresh, empty database of this cluster.
    pub fn new_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let name = format!("casebook_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
        let out = Command::new(self.bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", &name])
            .output()
            .expect("run createdb");
        assert!(out.status.success(), "createdb failed: {}", String::from_utf8_lossy(&out.stderr));
        self.url(&name)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the server (fast shutdown: connections are cut, data is kept).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and data, and waits until it accepts
    /// connections.
    pub fn resume(&mut self) {
        if let Err(status) = self.try_resume() {
            panic!("postgres exited with {status} (data in {})", self.data().display());
        }
    }

    /// Starts the server; Err with its exit status when it stops before accepting connections.
    fn try_resume(&mut self) -> Result<(), std::process::ExitStatus> {
        assert!(self.child.is_none(), "the cluster is running");
        let mut postgres = Command::new(self.bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string(), "-k"])
            .arg(self.dir.path())
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.child = Some(as_owner(&mut postgres, self.owner).spawn().expect("spawn postgres"));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                self.child = None;
                return Err(status);
            }
            assert!(Instant::now() < deadline, "postgres did not accept connections within a minute");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn as_owner(command: &mut Command, owner: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = owner {
        command.uid(uid).gid(gid);
    }
    command
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Immediate shutdown: the data is thrown away with the directory.
            let _ = Command::new("kill").args(["-QUIT", &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }
}
