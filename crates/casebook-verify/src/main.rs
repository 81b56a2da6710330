//! `casebook-verify`: checks a sealed case bundle on a machine with no Casebook vault, no
//! database and no network, and writes nothing. See docs/verify.md.
//!
//! Exit status: 0 verified (every check passed), 1 refused (a check failed), 2 incomplete
//! (nothing failed, but a check could not run with what was given), 3 could not check (bad
//! arguments, an unreadable file, a key or identity file that does not parse or open).

mod inputs;
mod report;

use casebook_bundle::{CheckWith, Verdict, check};
use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "casebook-verify", version, about = "Check a sealed Casebook bundle or a case report without a vault")]
struct Cli {
    /// Print the report as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a bundle's envelope signature and ciphertext hash; with a recipient's identity,
    /// decrypt it in a stream and check the manifest signature and every blob's SHA-256.
    Bundle {
        file: PathBuf,
        /// The author's public key file (`casebook identity export-public`).
        #[arg(long, value_name = "FILE")]
        author_key: Option<PathBuf>,
        /// The author's fingerprint as learned out of band; compared with the key file and the bundle.
        #[arg(long, value_name = "FINGERPRINT")]
        fingerprint: Option<String>,
        /// A recipient's secret identity file (`casebook identity export-secret`).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        /// Read the identity file's passphrase from this file (else CASEBOOK_IDENTITY_PASSPHRASE,
        /// else a prompt).
        #[arg(long, value_name = "FILE")]
        identity_passphrase_file: Option<PathBuf>,
    },
    /// Check a case report's signed manifest (`REPORT.manifest.json`), the report beside it and
    /// the evidence files it names, each by SHA-256; every file that differs is named.
    Report {
        manifest: PathBuf,
        /// The author's public key file; the manifest's signer must be this key.
        #[arg(long, value_name = "FILE")]
        author_key: Option<PathBuf>,
        /// The author's fingerprint as learned out of band.
        #[arg(long, value_name = "FINGERPRINT")]
        fingerprint: Option<String>,
        /// Where the report's evidence was exported (`casebook report --evidence-dir`).
        #[arg(long, value_name = "DIR")]
        evidence_dir: Option<PathBuf>,
        /// The time-stamping authority's root certificate (PEM): checks each item's RFC 3161
        /// timestamp (signature, chain, imprint) and prints its time.
        #[arg(long, value_name = "FILE")]
        tsa_root: Option<PathBuf>,
    },
}

/// Could not check: the inputs, not the bundle, are at fault.
const UNCHECKED: u8 = 3;

fn main() -> ExitCode {
    // A panic must not print its message: it could carry key material.
    std::panic::set_hook(Box::new(|_| {
        eprintln!("error[internal]: an unexpected internal error stopped casebook-verify");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(UNCHECKED);
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(verdict) => ExitCode::from(match verdict {
            Verdict::Verified => 0,
            Verdict::Refused => 1,
            Verdict::Incomplete => 2,
        }),
        Err(e) => {
            if json {
                eprintln!("{}", serde_json::json!({ "code": e.code, "message": e.message }));
            } else {
                eprintln!("error[{}]: {}", e.code, e.message);
            }
            ExitCode::from(UNCHECKED)
        }
    }
}

fn run(cli: Cli) -> Result<Verdict, inputs::Problem> {
    match cli.command {
        Command::Bundle { file, author_key, fingerprint, identity, identity_passphrase_file } => {
            let author = author_key.as_deref().map(inputs::author_key).transpose()?;
            if let (Some(author), Some(expected)) = (&author, &fingerprint) {
                inputs::check_fingerprint(author, expected)?;
            }
            let me = match identity {
                Some(path) => Some(inputs::identity(&path, identity_passphrase_file.as_deref())?),
                None => None,
            };
            let mut bundle = inputs::open(&file)?;
            let with = CheckWith { author: author.as_ref(), expected_author: fingerprint, me: me.as_ref() };
            let report = check(&mut bundle, &with);
            if cli.json {
                let text = serde_json::to_string_pretty(&report).map_err(|e| inputs::Problem::io(e.to_string()))?;
                println!("{text}");
            } else {
                println!("{}", report.render_text());
            }
            Ok(report.verdict)
        }
        Command::Report { manifest, author_key, fingerprint, evidence_dir, tsa_root } => {
            let args = report::ReportArgs { manifest, author_key, fingerprint, evidence_dir, tsa_root };
            let checked = match report::check(&args) {
                // A manifest that is not what its author signed vouches for nothing: refused.
                Err(e) if e.code == "bad_signature" || e.code == "tampered" => {
                    if cli.json {
                        println!(
                            "{}",
                            serde_json::json!({ "verdict": "refused", "code": e.code, "message": e.message })
                        );
                    } else {
                        println!(
                            "manifest    FAILED ({}): {}\n\nREFUSED: the manifest is not what its author signed",
                            e.code, e.message
                        );
                    }
                    return Ok(Verdict::Refused);
                }
                other => other?,
            };
            if cli.json {
                let text = serde_json::to_string_pretty(&checked).map_err(|e| inputs::Problem::io(e.to_string()))?;
                println!("{text}");
            } else {
                println!("{}", checked.render_text());
            }
            Ok(checked.verdict)
        }
    }
}
