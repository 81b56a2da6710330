//! The command line: `casebook-bench [--quick] [--only ingest|unlock|evidence]`.

use anyhow::{Context, Result, bail};

const MIB: u64 = 1 << 20;

pub struct Sizes {
    pub name: &'static str,
    pub events: usize,
    /// Ascending: the largest is checked against the first for flatness.
    pub evidence: &'static [u64],
}

const FULL: Sizes = Sizes { name: "full", events: 1_000_000, evidence: &[64 * MIB, 2048 * MIB] };
const QUICK: Sizes = Sizes { name: "quick", events: 50_000, evidence: &[64 * MIB] };

/// The benchmark groups; the FTS queries run on the ingest group's vault.
pub const GROUPS: &[&str] = &["ingest", "unlock", "evidence"];

const USAGE: &str = "usage: casebook-bench [--quick] [--only ingest|unlock|evidence]
  --quick  50,000 events and a 64 MiB file (a smoke run);
           default 1,000,000 events and files of 64 MiB and 2 GiB
  --only   run one group (ingest includes the FTS queries on the ingested vault)";

pub struct Options {
    pub sizes: Sizes,
    only: Option<String>,
}

impl Options {
    pub fn runs(&self, group: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == group)
    }
}

pub fn parse() -> Result<Options> {
    let mut options = Options { sizes: FULL, only: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.sizes = QUICK,
            "--only" => {
                let group = args.next().context(USAGE)?;
                if !GROUPS.contains(&group.as_str()) {
                    bail!("unknown group {group:?}\n{USAGE}");
                }
                options.only = Some(group);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    Ok(options)
}
