//! A real RFC 3161 time-stamping authority on 127.0.0.1, built on OpenSSL's `ts -reply`: its
//! own root CA and a TSA certificate (extended key usage `timeStamping`, critical), a minimal
//! HTTP/1.1 front that feeds each POSTed query to `openssl ts -reply` and returns the token.
//!
//! [`Tsa::reserve`] picks a port without serving on it (the authority "offline"), so a test can
//! capture items first and [`Tsa::serve`] later. [`Tsa::stamp_another_hash`] makes it sign a
//! different hash than the one asked for, as a broken or hostile authority would.

use std::{
    fs,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    thread,
    time::Duration,
};
use tempfile::TempDir;

pub struct Tsa {
    dir: TempDir,
    port: u16,
    state: Arc<State>,
    server: Option<thread::JoinHandle<()>>,
}

#[derive(Default)]
struct State {
    stop: AtomicBool,
    lie: AtomicBool,
    served: AtomicUsize,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("run openssl");
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Makes a root CA named `name` in `dir` (`<prefix>ca.key`, `<prefix>ca.crt`).
fn make_root(dir: &Path, prefix: &str, name: &str) {
    let (key, crt) = (format!("{prefix}ca.key"), format!("{prefix}ca.crt"));
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &crt,
            "-days",
            "3650",
            "-subj",
            &format!("/CN={name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
}

/// Issues `<name>.key` and `<name>.crt` in `dir`, signed by the test root, with extensions `ext`.
fn issue(dir: &Path, name: &str, cn: &str, ext: &str) {
    let (key, csr, crt, ext_file) =
        (format!("{name}.key"), format!("{name}.csr"), format!("{name}.crt"), format!("{name}.ext"));
    fs::write(dir.join(&ext_file), ext).expect("extensions file");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &csr,
            "-subj",
            &format!("/CN={cn}"),
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &crt,
            "-days",
            "365",
            "-extfile",
            &ext_file,
        ],
    );
}

impl Tsa {
    /// An authority with its certificates made, not yet serving.
    pub fn reserve() -> Tsa {
        let dir = tempfile::tempdir().expect("tsa dir");
        let root = dir.path();
        make_root(root, "", "Casebook Test Root");
        make_root(root, "other-", "Some Other Root");
        issue(
            root,
            "tsa",
            "Casebook Test TSA",
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n",
        );
        fs::write(root.join("serial"), "01\n").expect("serial");
        fs::write(
            root.join("tsa.cnf"),
            format!(
                "[ tsa ]\ndefault_tsa = casebook_test\n[ casebook_test ]\ndir = {dir}\nserial = $dir/serial\n\
                 crypto_device = builtin\nsigner_cert = $dir/tsa.crt\ncerts = $dir/ca.crt\nsigner_key = $dir/tsa.key\n\
                 signer_digest = sha256\ndefault_policy = 1.3.6.1.4.1.99999.1\ndigests = sha256\naccuracy = secs:1\n\
                 ordering = no\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n",
                dir = root.display()
            ),
        )
        .expect("tsa config");
        let port = TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        Tsa { dir, port, state: Arc::new(State::default()), server: None }
    }

    /// An authority serving at once.
    pub fn start() -> Tsa {
        let mut tsa = Tsa::reserve();
        tsa.serve();
        tsa
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/tsr", self.port)
    }

    /// The root the authority's tokens chain to.
    pub fn root_pem(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// A root the authority has nothing to do with.
    pub fn other_root_pem(&self) -> PathBuf {
        self.dir.path().join("other-ca.crt")
    }

    /// A token with `token`'s content re-signed by a certificate under the same root that is
    /// not for time stamping (no `timeStamping` extended key usage): what a stolen ordinary
    /// certificate of the same organisation could make.
    pub fn resign_without_timestamping_purpose(&self, token: &[u8]) -> Vec<u8> {
        let root = self.dir.path();
        if !root.join("plain.crt").exists() {
            issue(root, "plain", "Not A TSA", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
        }
        fs::write(root.join("in.token"), token).expect("token");
        openssl(root, &["cms", "-verify", "-noverify", "-inform", "DER", "-in", "in.token", "-out", "tstinfo.der"]);
        openssl(
            root,
            &[
                "cms",
                "-sign",
                "-binary",
                "-nodetach",
                "-econtent_type",
                "1.2.840.113549.1.9.16.1.4",
                "-in",
                "tstinfo.der",
                "-signer",
                "plain.crt",
                "-inkey",
                "plain.key",
                "-outform",
                "DER",
                "-out",
                "forged.token",
            ],
        );
        fs::read(root.join("forged.token")).expect("forged token")
    }

    /// Queries answered so far.
    pub fn served(&self) -> usize {
        self.state.served.load(Ordering::SeqCst)
    }

    /// From now on, sign a hash other than the one each query asks for.
    pub fn stamp_another_hash(&self, lie: bool) {
        self.state.lie.store(lie, Ordering::SeqCst);
    }

    /// Starts answering on the reserved port.
    pub fn serve(&mut self) {
        assert!(self.server.is_none(), "already serving");
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("bind the reserved port");
        listener.set_nonblocking(true).expect("nonblocking");
        let state = Arc::clone(&self.state);
        state.stop.store(false, Ordering::SeqCst);
        let dir = self.dir.path().to_path_buf();
        self.server = Some(thread::spawn(move || {
            while !state.stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if answer(stream, &dir, &state).is_ok() {
                            state.served.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        }));
    }

    /// Stops answering (connections are refused again).
    pub fn stop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

impl Drop for Tsa {
    fn drop(&mut self) {
        self.stop();
    }
}

fn answer(mut stream: TcpStream, dir: &Path, state: &State) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        request.extend_from_slice(&buf[..n]);
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..header_end]).to_ascii_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while request.len() < header_end + length {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let query = &request[header_end..header_end + length];
    let name = format!("q{}", state.served.load(Ordering::SeqCst));
    let query_path = dir.join(format!("{name}.tsq"));
    if state.lie.load(Ordering::SeqCst) {
        // A query of the same shape for another hash, which the authority then signs.
        let other = dir.join(format!("{name}.other"));
        fs::write(&other, b"not the evidence that was asked about")?;
        openssl(
            dir,
            &[
                "ts",
                "-query",
                "-data",
                &other.to_string_lossy(),
                "-sha256",
                "-cert",
                "-out",
                &query_path.to_string_lossy(),
            ],
        );
    } else {
        fs::write(&query_path, query)?;
    }
    let reply_path = dir.join(format!("{name}.tsr"));
    let out = Command::new("openssl")
        .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile"])
        .arg(&query_path)
        .arg("-out")
        .arg(&reply_path)
        .current_dir(dir)
        .output()?;
    let (status, body) = if out.status.success() {
        ("200 OK", fs::read(&reply_path)?)
    } else {
        ("500 Internal Server Error", Vec::new())
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}
