//! The command line: `casebook-bench [--quick] [--only ingest|unlock|evidence|bundle|wiki|server|fleet|desktop]`.

use anyhow::{Context, Result, bail};

const MIB: u64 = 1 << 20;

pub struct Sizes {
    pub name: &'static str,
    pub events: usize,
    /// Ascending: the largest is checked against the first for flatness.
    pub evidence: &'static [u64],
    /// The bundle case timed against `age`: this many evidence files of this many bytes each.
    pub bundle: Files,
    /// The bundle case whose peak memory is measured, if any.
    pub bundle_memory: Option<Files>,
    /// Bulk edits in the MediaWiki fixture the wiki import reads.
    pub wiki_edits: usize,
    /// The evidence in the bundle uploaded to the review server.
    pub upload: u64,
    /// Concurrent clients, and bundles each uploads and downloads.
    pub clients: usize,
    pub rounds: usize,
}

/// `count` evidence files of `bytes` each.
#[derive(Clone, Copy)]
pub struct Files {
    pub count: u64,
    pub bytes: u64,
}

impl Files {
    pub fn total(self) -> u64 {
        self.count * self.bytes
    }
}

const FULL: Sizes = Sizes {
    name: "full",
    events: 1_000_000,
    evidence: &[64 * MIB, 2048 * MIB],
    bundle: Files { count: 4, bytes: 256 * MIB },
    bundle_memory: Some(Files { count: 4, bytes: 1024 * MIB }),
    wiki_edits: 10_000,
    upload: 1024 * MIB,
    clients: 50,
    rounds: 20,
};
const QUICK: Sizes = Sizes {
    name: "quick",
    events: 50_000,
    evidence: &[64 * MIB],
    bundle: Files { count: 4, bytes: 16 * MIB },
    bundle_memory: None,
    wiki_edits: 1_000,
    upload: 64 * MIB,
    clients: 10,
    rounds: 5,
};

/// The benchmark groups; the FTS queries run on the ingest group's vault.
pub const GROUPS: &[&str] = &["ingest", "unlock", "evidence", "bundle", "wiki", "server", "fleet", "desktop"];

const USAGE: &str = "usage: casebook-bench [--quick] [--only ingest|unlock|evidence|bundle|wiki|server|fleet|desktop]
  --quick  50,000 events, a 64 MiB file, a 64 MiB bundle, a wiki of 1,000 bulk edits (a smoke
           run); default 1,000,000 events, files of 64 MiB and 2 GiB, bundles of 1 GiB (timed)
           and 4 GiB (peak memory), a wiki of 10,000 bulk edits
           server: a 1 GiB bundle uploaded (64 MiB quick), 50 clients × 20 round trips (10 × 5 quick)
           fleet: those round trips on 1, 2 and 3 instances over PostgreSQL + S3 (Garage)
  --only   run one group (ingest includes the FTS queries on the ingested vault; desktop needs
           casebook-desktop and the hello example built beside the bench, as `make bench` does)";

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
