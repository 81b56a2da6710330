//! The command line, as clap sees it. Spelling here is a contract with scripts and tests.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "casebook", version, about = "Casebook: an encrypted workstation for Trust & Safety investigations")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct Global {
    /// The vault directory.
    #[arg(long, env = "CASEBOOK_VAULT", global = true, value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// Read the passphrase from the first line of FILE (else CASEBOOK_PASSPHRASE, else a prompt).
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print results, and errors, as JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create, verify, back up and restore the encrypted vault.
    #[command(subcommand)]
    Vault(VaultCommand),
    /// Open, list and show cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Add and list the accounts and people in a case.
    #[command(subcommand)]
    Subject(SubjectCommand),
    /// Add, list and export evidence.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Add timeline events, one at a time or in bulk.
    #[command(subcommand)]
    Event(EventCommand),
    /// Add and list notes (Markdown).
    #[command(subcommand)]
    Note(NoteCommand),
    /// Print a case's timeline in time order.
    Timeline { reference: String },
    /// Write a case report (PDF or HTML, by the file's extension) and its signed manifest
    /// (`FILE.manifest.json`) for a committee, Legal or a court.
    Report {
        reference: String,
        #[arg(long, value_name = "FILE.pdf|FILE.html")]
        to: PathBuf,
        /// The report's language: en or es.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Show subjects' non-public fields (real name, email, IP), marked, for this reason
        /// (recorded in the audit trail). Without it they are withheld.
        #[arg(long, value_name = "REASON")]
        nonpublic_reason: Option<String>,
        /// Also export every non-restricted item into this existing directory, named in the manifest.
        #[arg(long, value_name = "DIR")]
        evidence_dir: Option<PathBuf>,
        /// List (and export) each item's redacted copy in place of its original; the report and
        /// its manifest say which originals were left out.
        #[arg(long)]
        redacted_in_place: bool,
    },
    /// Full-text search across the vault or one case.
    Search {
        query: String,
        #[arg(long = "case", value_name = "REF")]
        case: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Verify and read the hash-chained audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Show or export this vault's identity (signing and encryption keys).
    #[command(subcommand)]
    Identity(IdentityCommand),
    /// The trusted key directory: whom bundles may come from and go to.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Seal a case for reviewers; inspect, verify and open sealed bundles.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Import conduct from outside sources.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Pages shared by a case's imported accounts, follow-up times, and talk messages between them.
    Interactions { reference: String },
    /// The review server: enrol this vault, keep contacts in step with its key directory.
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Bundles addressed to this vault on the review server.
    #[command(subcommand)]
    Inbox(InboxCommand),
    /// Decisions in the review cycle.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// The office-action register: list it, write it as CSV or as the public wiki log.
    #[command(subcommand)]
    Register(RegisterCommand),
    /// Record an office action on an approved case.
    #[command(subcommand)]
    Action(ActionCommand),
    /// DMCA notices: record, check completeness, take down, notify, counter-notice, archive.
    #[command(subcommand)]
    Dmca(DmcaCommand),
    /// The intake queue: reports waiting for triage, opened as cases, merged or declined.
    #[command(subcommand)]
    Intake(IntakeCommand),
    /// Trusted timestamps (RFC 3161) of evidence from a time-stamping authority.
    #[command(subcommand)]
    Timestamp(TimestampCommand),
    /// Create (or reopen) a demo vault with a sample case and print its timeline.
    Demo,
}

#[derive(Subcommand)]
pub enum TimestampCommand {
    /// Configure the time-stamping authority: from now on every captured item is queued for a
    /// timestamp, sent whenever the authority can be reached.
    Authority {
        /// The authority's RFC 3161 HTTP endpoint.
        #[arg(long, required_unless_present = "clear")]
        url: Option<String>,
        /// The PEM certificate its tokens must chain to (its root, or the authority's own).
        #[arg(long, value_name = "FILE", required_unless_present = "clear")]
        root: Option<PathBuf>,
        /// Stop timestamping new items (queued items stay queued).
        #[arg(long, conflicts_with_all = ["url", "root"])]
        clear: bool,
    },
    /// Send the queue to the authority; tokens are checked and kept beside their items.
    Send,
    /// Queue every item of a case that has no timestamp yet (items from before the authority).
    Queue { reference: String },
    /// Each item of a case with its timestamp, or why it waits.
    Status { reference: String },
}

#[derive(Args, Clone, Default)]
pub struct RegisterFilterArgs {
    /// global_ban, event_ban, conduct_warning, interaction_ban or other.
    #[arg(long)]
    pub kind: Option<String>,
    /// active, overturned or expired (as of today).
    #[arg(long)]
    pub status: Option<String>,
    /// A username, or USERNAME@WIKI.
    #[arg(long, value_name = "USER")]
    pub account: Option<String>,
}

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Every office action, newest effective date first.
    List {
        #[command(flatten)]
        filter: RegisterFilterArgs,
    },
    /// The register as CSV (no reasons, no case data): to stdout, or to a new owner-only file.
    Csv {
        #[command(flatten)]
        filter: RegisterFilterArgs,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The public log in wikitext: username, date and action of active global and event bans.
    Wiki {
        #[command(flatten)]
        filter: RegisterFilterArgs,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ActionCommand {
    /// Record an office action on an approved case of this vault; marks it action_recorded.
    Record {
        reference: String,
        #[arg(long)]
        kind: String,
        /// USERNAME@WIKI; repeat for each account.
        #[arg(long = "account", value_name = "USER@WIKI", required = true)]
        accounts: Vec<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        effective_on: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        review_on: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        expires_on: Option<String>,
        /// What the action is, for kind other.
        #[arg(long, default_value = "")]
        label: String,
        /// Event bans: the event's name, place and dates.
        #[arg(long)]
        event_name: Option<String>,
        #[arg(long)]
        event_place: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        event_starts_on: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        event_ends_on: Option<String>,
        /// The rationale signed into the decision sent to the server (default: the action).
        #[arg(long, default_value = "")]
        rationale: String,
    },
}

#[derive(Args, Clone)]
pub struct DmcaNoticeArgs {
    /// When the notice arrived (RFC 3339); now when absent.
    #[arg(long, value_name = "RFC3339")]
    pub received_at: Option<String>,
    /// Identification of the copyrighted work.
    #[arg(long, default_value = "")]
    pub work: String,
    /// Identification of the infringing material.
    #[arg(long, default_value = "")]
    pub material: String,
    /// Where the material is; repeat for each URL.
    #[arg(long = "url", value_name = "URL")]
    pub urls: Vec<String>,
    /// The complainant's name, address, email and phone (non-public: redacted unless revealed).
    #[arg(long = "complainant-name", value_name = "NAME", default_value = "")]
    pub name: String,
    #[arg(long = "complainant-address", value_name = "ADDRESS", default_value = "")]
    pub address: String,
    #[arg(long = "complainant-email", value_name = "EMAIL", default_value = "")]
    pub email: String,
    #[arg(long = "complainant-phone", value_name = "PHONE", default_value = "")]
    pub phone: String,
    /// The notice holds the good-faith statement.
    #[arg(long)]
    pub good_faith: bool,
    /// The notice holds the accuracy and authority statement, under penalty of perjury.
    #[arg(long)]
    pub accuracy: bool,
    /// The physical or electronic signature, as given.
    #[arg(long, default_value = "")]
    pub signature: String,
}

#[derive(Subcommand)]
pub enum DmcaCommand {
    /// Record a notice for a case; prints its id and what statutory elements it lacks.
    Add {
        reference: String,
        #[command(flatten)]
        notice: DmcaNoticeArgs,
    },
    /// Replace a notice's contents (before any takedown).
    Update {
        id: String,
        #[command(flatten)]
        notice: DmcaNoticeArgs,
    },
    /// Notices, of one case or all, newest first; complainants redacted.
    List {
        #[arg(long = "case", value_name = "REF")]
        reference: Option<String>,
    },
    /// One notice; the complainant only with --reveal and a reason (audited).
    Show {
        id: String,
        #[arg(long, requires = "reason")]
        reveal: bool,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record the takedown; refused while the notice is incomplete.
    Takedown {
        id: String,
        /// WIKI|PAGE or WIKI|PAGE|REV,REV (a page title cannot hold a `|`); repeat for each page.
        #[arg(long = "item", value_name = "WIKI|PAGE[|REVS]", required = true)]
        items: Vec<String>,
    },
    /// Record that the uploader was notified.
    Notify {
        id: String,
        #[arg(long)]
        uploader: String,
    },
    /// Record the counter-notice; prints the restore window.
    Counter {
        id: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        statement: String,
        #[arg(long, value_name = "RFC3339")]
        received_at: Option<String>,
    },
    /// The entry for the public DMCA archive page, in wikitext.
    Archive { id: String },
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Enrol this vault's identity with a one-time token from the server's admin.
    Enroll {
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long)]
        token: String,
        #[arg(long, default_value = "laptop")]
        device_name: String,
        /// The server's CA certificate (PEM), when its certificate is not from a public CA.
        #[arg(long, value_name = "PEM")]
        ca_cert: Option<std::path::PathBuf>,
    },
    /// Push the outbox (resuming partial uploads), then pull the key directory, the inbox,
    /// decisions and each case's review state. Offline, it says so and loses nothing.
    Run,
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import accounts' contributions, log entries and abuse-filter hits from one or several
    /// MediaWikis (several `--api`: fetched concurrently, each wiki ending on its own).
    Mediawiki {
        reference: String,
        #[arg(long, value_name = "URL", required = true)]
        api: Vec<String>,
        #[arg(long = "user", value_name = "NAME", required = true)]
        users: Vec<String>,
        #[arg(long, value_name = "RFC3339")]
        since: Option<String>,
        #[arg(long, value_name = "RFC3339")]
        until: Option<String>,
        /// Only contributions in these namespaces (repeat or comma-separate; default: all).
        #[arg(long = "namespace", value_name = "N", value_delimiter = ',')]
        namespaces: Vec<i64>,
        /// Also fetch each contribution's wikitext and its diff against the parent.
        #[arg(long)]
        with_content: bool,
        /// Retries per request on 5xx, lag and network errors (with doubling backoff).
        #[arg(long, default_value_t = 4)]
        max_retries: u32,
    },
    /// Run the imports that were queued while a wiki was unreachable (or left running by a
    /// process that was killed).
    Resume {
        #[arg(long, default_value_t = 4)]
        max_retries: u32,
    },
    /// The wikis a global (CentralAuth) account is attached to.
    Attached {
        #[arg(long, value_name = "URL")]
        api: String,
        #[arg(long = "user", value_name = "NAME")]
        user: String,
    },
    /// Recorded import requests (queued, running, done, failed), newest first.
    List {
        #[arg(long = "case", value_name = "REF")]
        reference: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum IdentityCommand {
    /// Print this vault's name and fingerprint.
    Show,
    /// Write a public key file to give to colleagues.
    ExportPublic {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Write this identity, secrets included, as a passphrase-encrypted secret identity file
    /// for `casebook-verify --identity` (owner-only; never over an existing file; audited).
    ExportSecret {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// Read the identity file's new passphrase from the first line of FILE (else
        /// CASEBOOK_IDENTITY_PASSPHRASE, else a prompt, typed twice).
        #[arg(long, value_name = "FILE")]
        identity_passphrase_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Trust the holder of a public key file.
    Add {
        file: PathBuf,
    },
    List,
    /// Stop trusting a fingerprint.
    Remove {
        fingerprint: String,
    },
}

#[derive(Subcommand)]
pub enum BundleCommand {
    /// Seal a case to the given contacts (and yourself); streams, progress on stderr.
    Seal {
        reference: String,
        #[arg(long = "to", value_name = "FINGERPRINT", required = true)]
        to: Vec<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Carry each item's redacted copy in place of the original (for an affected party or
        /// anyone who must not see the originals); the bundle lists what it left out.
        #[arg(long)]
        redacted_in_place: bool,
    },
    /// Show a bundle's envelope and its signature status; decrypts nothing. Without a vault,
    /// shows the envelope and says which checks could not run (see casebook-verify).
    Inspect { file: PathBuf },
    /// Check signatures, decrypt, and check every hash, without importing.
    Verify { file: PathBuf },
    /// Import a bundle as a read-only received case.
    Open {
        file: PathBuf,
        #[arg(long)]
        allow_replay: bool,
    },
}

#[derive(Subcommand)]
pub enum VaultCommand {
    /// Create a new vault.
    Init {
        /// Your name, recorded as the actor of every audit row.
        #[arg(long, default_value = "investigator")]
        owner: String,
        /// Argon2id passes (at least 3). Without it, calibrated to about 0.5 s on this machine.
        #[arg(long)]
        kdf_iterations: Option<u32>,
    },
    /// Rewrap the data key under a new passphrase.
    ChangePassphrase {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: PathBuf,
        #[arg(long)]
        kdf_iterations: Option<u32>,
    },
    /// Check every page, the database structure and the audit chain.
    Verify,
    /// Write an encrypted, verified online backup to one file.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Restore a backup file into a new vault directory.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Open a new case; prints its reference.
    Create {
        #[arg(long)]
        title: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        priority: Option<String>,
        #[arg(long, default_value = "")]
        summary: String,
    },
    /// List cases, most urgent first.
    List {
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        priority: Option<String>,
    },
    /// Show one case with its counts.
    Show { reference: String },
    /// Change a case's status, priority, summary or legal hold.
    Update {
        reference: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        priority: Option<String>,
        #[arg(long)]
        summary: Option<String>,
        #[arg(long)]
        legal_hold: Option<bool>,
        /// Who leads the case ("" for nobody).
        #[arg(long)]
        assignee: Option<String>,
        /// Who assists (repeat or comma-separate; replaces the list; "" for nobody).
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        assisting: Option<Vec<String>>,
        /// When the case is due (RFC 3339; "" clears it).
        #[arg(long, value_name = "RFC3339")]
        due_at: Option<String>,
    },
    /// Seal the case to reviewers from the key directory and queue it for the review server;
    /// `casebook sync run` delivers it. Works offline.
    Submit {
        reference: String,
        /// A reviewer's name in the key directory; repeat for each.
        #[arg(long = "reviewer", required = true)]
        reviewers: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum IntakeCommand {
    /// Enter a report into the queue; prints its id. A child_protection report is restricted.
    Add {
        /// general, emergency (threat of harm), child_protection, dmca or other.
        #[arg(long)]
        channel: String,
        /// Who sent it: a name, a username, or "anonymous".
        #[arg(long)]
        reporter: String,
        /// How to reach the reporter (non-public: shown only by `intake reveal`).
        #[arg(long)]
        contact: Option<String>,
        /// The report's text (or --text-file, which keeps it off the process list).
        #[arg(long, required_unless_present = "text_file", conflicts_with = "text_file")]
        text: Option<String>,
        #[arg(long, value_name = "FILE")]
        text_file: Option<PathBuf>,
        /// When it reached the team (default: now).
        #[arg(long, value_name = "RFC3339")]
        received_at: Option<String>,
    },
    /// The queue, most pressing first: unanswered emergencies, the overdue, then by severity.
    List {
        /// Also list reports already opened, merged or declined.
        #[arg(long)]
        all: bool,
    },
    /// One report (the contact redacted, restricted text withheld).
    Show { id: String },
    /// One report with its contact and restricted text; audited with the reason.
    Reveal {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Acknowledge a report: you have seen it and taken it on.
    Ack { id: String },
    /// Give a report a severity, 1 (most severe) to 4, and say why.
    Prioritise {
        id: String,
        #[arg(long)]
        severity: u8,
        #[arg(long)]
        reason: String,
    },
    /// Set who leads a report, who assists and when it is due (each replaces what was there).
    Assign {
        id: String,
        #[arg(long, default_value = "")]
        assignee: String,
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        assisting: Vec<String>,
        #[arg(long, value_name = "RFC3339")]
        due_at: Option<String>,
    },
    /// Keep a file with a report (it becomes evidence when the report becomes a case).
    Attach { id: String, file: PathBuf },
    /// Open a case from a report; prints the case's reference.
    Open {
        id: String,
        #[arg(long)]
        title: String,
        /// Default: from the channel (emergency → threat_of_harm, child_protection, dmca, else other).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Add a report's text and attachments to an existing case of this vault.
    Merge { id: String, reference: String },
    /// Close a report without a case, with the reason.
    Decline {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Show, or with --set change, the minutes allowed before an emergency's first action.
    Target {
        #[arg(long, value_name = "MINUTES")]
        set: Option<u32>,
    },
}

#[derive(Subcommand)]
pub enum InboxCommand {
    /// Bundles addressed to this vault, as of the last `sync run`.
    List,
    /// Download a bundle and open it: a case into a read-only copy, a decision into its case.
    Open { bundle_id: String },
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Record a signed decision and queue it for the server; `casebook sync run` delivers it.
    /// A level's reviewer: approve, changes-requested (more research), propose-modification,
    /// no-action, decline. The author: accept-modification or keep-position (a divergence);
    /// after approval the office action (global-ban, event-ban, warning, interaction-ban,
    /// other-action, no-action, naming --sanctioned accounts); close. Committee: uphold, overturn.
    Decide {
        reference: String,
        #[arg(long)]
        decision: String,
        #[arg(long)]
        rationale: String,
        /// With an office action: an account it applies to (repeatable).
        #[arg(long, value_name = "USERNAME")]
        sanctioned: Vec<String>,
        /// With an office action: who asked for it (repeatable).
        #[arg(long, value_name = "NAME")]
        requesting: Vec<String>,
    },
    /// The case's review chain: its policy's levels, who agreed at each, the history with the
    /// rationales this vault can read, divergences and committee votes.
    Chain { reference: String },
    /// Record an appeal against the case's office action and seal the case to the committee.
    Appeal {
        reference: String,
        #[arg(long)]
        appellant: String,
        /// sanctioned or requesting.
        #[arg(long = "as", value_name = "ROLE")]
        role: String,
        #[arg(long)]
        statement: String,
    },
    /// The server's review policies (read), or set one (an admin's vault): ordered levels as
    /// ROLE:COUNT.
    Policy {
        /// Set the policy of this case kind (`*` for the default).
        #[arg(long)]
        set: Option<String>,
        #[arg(long = "level", value_name = "ROLE:COUNT")]
        levels: Vec<String>,
        #[arg(long, default_value_t = 365)]
        appeal_window_days: u32,
        #[arg(long, default_value_t = 1)]
        committee: u32,
    },
    /// The case's state on the server as last pulled, its signed history and the decisions.
    Status { reference: String },
    /// What waits in the outbox, and what was sent.
    Outbox,
}

#[derive(Subcommand)]
pub enum SubjectCommand {
    /// Add an account or person to a case.
    Add {
        reference: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        wiki: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        real_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        ip: Option<String>,
    },
    /// List a case's subjects (nonpublic fields redacted unless --reveal, which is audited).
    List {
        reference: String,
        #[arg(long)]
        reveal: bool,
    },
}

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Add a file as evidence; prints its id and SHA-256.
    Add {
        reference: String,
        file: PathBuf,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        source_url: Option<String>,
        #[arg(long)]
        sensitivity: Option<String>,
        #[arg(long, default_value = "file")]
        kind: String,
    },
    /// List a case's evidence.
    List { reference: String },
    /// Export an item, byte-identical to what was added (audited).
    Export {
        reference: String,
        id: String,
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Change an item's sensitivity (normal, nonpublic or restricted), for a reason kept in the
    /// audit trail; no item goes below its case's floor.
    Sensitivity {
        reference: String,
        id: String,
        sensitivity: String,
        #[arg(long)]
        reason: String,
    },
    /// Store a redacted copy of an item (the original is kept): image regions blacked out,
    /// phrases removed from a text item, or pages dropped from a PDF. The copy names its
    /// original by SHA-256.
    Redact {
        reference: String,
        id: String,
        /// A rectangle to black out, `X,Y,WIDTH,HEIGHT` in pixels; repeat for more.
        #[arg(long = "region", value_name = "X,Y,W,H", conflicts_with = "phrases")]
        regions: Vec<String>,
        /// A phrase to remove from a text item (every occurrence); repeat for more. Other users
        /// of this machine can read a command line: prefer --phrases-file for names.
        #[arg(long = "phrase", value_name = "TEXT")]
        phrases: Vec<String>,
        /// A file with one phrase to remove per line (blank lines are skipped).
        #[arg(long, value_name = "FILE", conflicts_with = "regions")]
        phrases_file: Option<PathBuf>,
        /// A page to drop from a PDF (1-based); repeat for more.
        #[arg(long = "page", value_name = "N", conflicts_with_all = ["regions", "phrases", "phrases_file"])]
        pages: Vec<u32>,
        /// Why the copy is made (kept with it and in the audit trail).
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum EventCommand {
    /// Add one event to a case's timeline.
    Add {
        reference: String,
        #[arg(long, value_name = "RFC3339")]
        at: String,
        #[arg(long)]
        summary: String,
        #[arg(long, default_value = "")]
        actor: String,
        #[arg(long, default_value = "")]
        place: String,
        #[arg(long, default_value = "")]
        category: String,
        #[arg(long, default_value = "exact")]
        precision: String,
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long = "evidence", value_name = "ID")]
        evidence: Vec<String>,
    },
    /// Import events from JSON Lines, one transaction per batch, progress on stderr.
    Import {
        reference: String,
        file: PathBuf,
        #[arg(long, default_value_t = 5000)]
        batch_size: usize,
    },
}

#[derive(Subcommand)]
pub enum NoteCommand {
    Add {
        reference: String,
        #[arg(long)]
        text: String,
    },
    List {
        reference: String,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify the whole chain; names the first bad row.
    Verify,
    /// Print the audit log, of the vault or one case.
    Log {
        #[arg(long = "case", value_name = "REF")]
        case: Option<String>,
    },
    /// Print a received case's audit chain as its author's vault recorded it.
    Received { reference: String },
    /// Every access to non-public or restricted material (reveals, restricted reads and
    /// exports), with the reason given, of the vault, one case or one person.
    Access {
        #[arg(long = "case", value_name = "REF")]
        case: Option<String>,
        #[arg(long, value_name = "NAME")]
        actor: Option<String>,
    },
}
