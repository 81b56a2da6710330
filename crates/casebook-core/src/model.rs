//! The domain: cases, subjects, evidence, timeline events, notes and audit rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Declares a closed set of lowercase string values with parsing, display and serde.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::Error::InvalidInput(format!(
                        "unknown {} {s:?}; expected one of: {}",
                        stringify!($name),
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }
    };
}

string_enum!(
    /// What kind of matter a case is; drives templates and defaults.
    CaseKind {
        GlobalBan => "global_ban",
        EventBan => "event_ban",
        ThreatOfHarm => "threat_of_harm",
        ChildProtection => "child_protection",
        Dmca => "dmca",
        Disinformation => "disinformation",
        Harassment => "harassment",
        Privacy => "privacy",
        Other => "other",
    }
);

string_enum!(
    CaseStatus {
        Open => "open",
        Submitted => "submitted",
        InReview => "in_review",
        ChangesRequested => "changes_requested",
        ModificationProposed => "modification_proposed",
        Approved => "approved",
        Declined => "declined",
        ActionRecorded => "action_recorded",
        Closed => "closed",
    }
);

string_enum!(
    Priority {
        Low => "low",
        Normal => "normal",
        High => "high",
        Urgent => "urgent",
    }
);

string_enum!(
    SubjectRole {
        ReportedParty => "reported_party",
        Reporter => "reporter",
        Witness => "witness",
        Affected => "affected",
    }
);

string_enum!(
    EvidenceKind {
        Revision => "revision",
        LogEntry => "log_entry",
        Screenshot => "screenshot",
        File => "file",
        Email => "email",
        Chat => "chat",
        WebCapture => "web_capture",
        Note => "note",
    }
);

string_enum!(
    /// Who may see an item. Restricted items are never rendered without an explicit,
    /// audited action; nonpublic personal data is redacted from exports by default.
    Sensitivity {
        Normal => "normal",
        Nonpublic => "nonpublic",
        Restricted => "restricted",
    }
);

string_enum!(
    /// How precisely an event's time is known.
    Precision {
        Exact => "exact",
        Minute => "minute",
        Day => "day",
        Approximate => "approximate",
    }
);

string_enum!(
    EventSource {
        Manual => "manual",
        Imported => "imported",
    }
);

string_enum!(
    /// What an office action does.
    ActionKind {
        GlobalBan => "global_ban",
        EventBan => "event_ban",
        ConductWarning => "conduct_warning",
        InteractionBan => "interaction_ban",
        Other => "other",
    }
);

string_enum!(
    /// Where an office action stands: `expired` is never stored but computed from `expires_on`.
    ActionStatus {
        Active => "active",
        Overturned => "overturned",
        Expired => "expired",
    }
);

string_enum!(
    /// How the register is written out: a spreadsheet, or the public log in wikitext.
    RegisterFormat {
        Csv => "csv",
        Wiki => "wiki",
    }
);

impl CaseKind {
    /// The priority a new case of this kind starts with: threats of harm are time-critical.
    pub fn default_priority(self) -> Priority {
        match self {
            CaseKind::ThreatOfHarm => Priority::Urgent,
            CaseKind::ChildProtection => Priority::High,
            _ => Priority::Normal,
        }
    }

    /// The sensitivity new evidence in a case of this kind gets unless told otherwise:
    /// child-protection material must not be shown by default.
    pub fn default_sensitivity(self) -> Sensitivity {
        match self {
            CaseKind::ChildProtection => Sensitivity::Restricted,
            _ => Sensitivity::Normal,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub priority: Priority,
    pub summary: String,
    pub opened_at: DateTime<Utc>,
    pub legal_hold: bool,
    pub default_sensitivity: Sensitivity,
    /// The specialist who leads the case; empty while nobody does. Absent in bundles sealed
    /// before the field existed.
    #[serde(default)]
    pub assignee: String,
    /// Colleagues helping the assignee. Absent in bundles sealed before the field existed.
    #[serde(default)]
    pub assisting: Vec<String>,
    /// When the case should be done by; none while it has no deadline.
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// The author's fingerprint when this is a read-only copy received in a bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl Case {
    pub fn is_received(&self) -> bool {
        self.origin.is_some()
    }

    /// Past its due date at `now` and not closed. The case list leaves this to its reader (the UI
    /// computes it from `due_at`), so a stored or sealed case never carries a stale flag.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status != CaseStatus::Closed && self.due_at.is_some_and(|due| due < now)
    }
}

string_enum!(
    /// How a report reached the team. `emergency` is a threat of harm: time-critical.
    ReportChannel {
        General => "general",
        Emergency => "emergency",
        ChildProtection => "child_protection",
        Dmca => "dmca",
        Other => "other",
    }
);

string_enum!(
    /// Where a report is in triage; `opened`, `merged` and `declined` close it.
    ReportState {
        New => "new",
        Acknowledged => "acknowledged",
        Opened => "opened",
        Merged => "merged",
        Declined => "declined",
    }
);

impl ReportChannel {
    /// The kind of case a report from this channel becomes unless the triager says otherwise.
    pub fn case_kind(self) -> CaseKind {
        match self {
            ReportChannel::Emergency => CaseKind::ThreatOfHarm,
            ReportChannel::ChildProtection => CaseKind::ChildProtection,
            ReportChannel::Dmca => CaseKind::Dmca,
            ReportChannel::General | ReportChannel::Other => CaseKind::Other,
        }
    }
}

impl ReportState {
    /// Whether triage is over: the report became a case, joined one, or was declined.
    pub fn is_closed(self) -> bool {
        matches!(self, ReportState::Opened | ReportState::Merged | ReportState::Declined)
    }
}

/// A report waiting for triage in the intake queue. `reporter_contact` is non-public and comes
/// back as `"[redacted]"`, and a restricted (child-protection) report's `text` as `None`, unless
/// the report was revealed with a reason (audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub received_at: DateTime<Utc>,
    pub channel: ReportChannel,
    pub state: ReportState,
    pub reporter: String,
    pub reporter_contact: Option<String>,
    pub text: Option<String>,
    pub restricted: bool,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// 1 is the most severe, 4 the least; none until prioritised.
    pub severity: Option<u8>,
    pub severity_reason: String,
    pub assignee: String,
    pub assisting: Vec<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// The case the report was opened as or merged into.
    pub case_reference: Option<String>,
    pub decline_reason: String,
    pub attachments: Vec<ReportAttachment>,
    /// The first triage action (acknowledge, prioritise, assign, open, merge, decline).
    pub first_action_at: Option<DateTime<Utc>>,
    /// Emergency reports only: the seconds allowed from receipt to the first action.
    pub target_secs: Option<i64>,
    /// Past its due date, or an emergency past its target without a first action; never once closed.
    pub overdue: bool,
    /// An emergency report nobody has acted on yet.
    pub urgent: bool,
}

/// A file that came with a report, kept in the vault's content store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAttachment {
    pub id: String,
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub mime: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedAccount {
    pub username: String,
    pub wiki: String,
    /// 0.0 to 1.0: how sure the investigator is that the accounts share an operator.
    pub confidence: f64,
}

/// Nonpublic personal data about a subject. Never indexed for search, redacted by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NonpublicFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}

impl NonpublicFields {
    pub fn is_empty(&self) -> bool {
        self.real_name.is_none() && self.email.is_none() && self.ip.is_none()
    }

    /// The same fields with every value replaced, so a listing shows what is held, not what it is.
    pub fn redacted(&self) -> Self {
        let hide = |v: &Option<String>| v.as_ref().map(|_| "[redacted]".to_string());
        NonpublicFields { real_name: hide(&self.real_name), email: hide(&self.email), ip: hide(&self.ip) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub id: String,
    pub case_id: String,
    pub username: String,
    pub wiki: String,
    pub role: SubjectRole,
    pub linked_accounts: Vec<LinkedAccount>,
    pub nonpublic: NonpublicFields,
    pub added_at: DateTime<Utc>,
    /// What the account's wiki said of it at the last import (`list=users`: groups, edit count,
    /// registration, block); null when never imported.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub wiki_facts: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub case_id: String,
    pub kind: EvidenceKind,
    pub title: String,
    pub source_url: Option<String>,
    pub captured_at: DateTime<Utc>,
    pub captured_by: String,
    pub sha256: String,
    pub size: u64,
    pub mime: String,
    pub original_name: String,
    pub sensitivity: Sensitivity,
    /// Set when this item is a redacted copy of another; absent in bundles sealed before
    /// redaction existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaction: Option<Redaction>,
}

/// How a redacted copy came to be. It names its original by SHA-256 (the id is the original's
/// in the vault that made the copy) and never repeats what was removed: for text, only how
/// many phrases and occurrences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    pub original_id: String,
    pub original_sha256: String,
    pub redacted_by: String,
    pub redacted_at: DateTime<Utc>,
    pub reason: String,
    /// `image_regions`, `text_phrases` or `pdf_pages`.
    pub method: String,
    /// The blacked-out rectangles, in the original image's pixels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// The pages dropped from a PDF (1-based, in the original's numbering).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<u32>,
    /// How many places were removed (rectangles, or phrase occurrences).
    pub removed: u64,
}

/// A rectangle of an image, in pixels from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub case_id: String,
    pub occurred_at: DateTime<Utc>,
    pub precision: Precision,
    pub actor: String,
    pub summary: String,
    pub place: String,
    pub category: String,
    pub tags: Vec<String>,
    pub evidence: Vec<String>,
    pub source: EventSource,
    pub import_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    pub case_id: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub author: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub case_id: Option<String>,
    pub entity: String,
    pub payload_hash: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An account an office action applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAccount {
    pub username: String,
    pub wiki: String,
}

/// The event an event ban is for. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetails {
    pub name: String,
    pub place: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// One entry of the office-action register. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeAction {
    pub id: String,
    pub case_id: String,
    pub case_reference: String,
    pub kind: ActionKind,
    pub accounts: Vec<ActionAccount>,
    /// Event bans only, where it is required.
    pub event: Option<EventDetails>,
    /// What the action is, for kind `other`; empty otherwise.
    pub other_label: String,
    pub effective_on: NaiveDate,
    pub review_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    pub status: ActionStatus,
    pub overturned_at: Option<DateTime<Utc>>,
    pub overturn_rationale: String,
    /// Active, and its review date is past or within 30 days.
    pub review_due: bool,
}

/// Who sent a DMCA notice. Non-public: every field comes back `[redacted]` (empty stays empty,
/// so a listing shows what is held) unless revealed with a reason.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Complainant {
    pub name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
}

pub const REDACTED: &str = "[redacted]";

/// Debug output (a log line, a panic, a test failure) shows what is held, never what it is.
impl std::fmt::Debug for Complainant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.redacted();
        f.debug_struct("Complainant")
            .field("name", &r.name)
            .field("address", &r.address)
            .field("email", &r.email)
            .field("phone", &r.phone)
            .finish()
    }
}

impl Complainant {
    pub fn redacted(&self) -> Self {
        let hide = |v: &str| if v.is_empty() { String::new() } else { REDACTED.to_string() };
        Complainant {
            name: hide(&self.name),
            address: hide(&self.address),
            email: hide(&self.email),
            phone: hide(&self.phone),
        }
    }
}

/// A page (and optionally some of its revisions) taken down on a wiki.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakedownItem {
    pub wiki: String,
    pub page: String,
    #[serde(default)]
    pub revisions: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Takedown {
    pub at: DateTime<Utc>,
    pub by: String,
    pub items: Vec<TakedownItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterNotice {
    pub received_at: DateTime<Utc>,
    pub from: String,
    pub statement: String,
}

/// A DMCA takedown notice and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DmcaNotice {
    pub id: String,
    pub case_id: String,
    pub case_reference: String,
    pub received_at: DateTime<Utc>,
    /// Identification of the copyrighted work.
    pub work: String,
    /// Identification of the infringing material, with its URLs.
    pub material: String,
    pub urls: Vec<String>,
    pub complainant: Complainant,
    /// The good-faith statement is present.
    pub good_faith: bool,
    /// The accuracy and authority statement, under penalty of perjury, is present.
    pub accuracy: bool,
    /// The physical or electronic signature, as given. Non-public like the complainant:
    /// `[redacted]` unless revealed.
    pub signature: String,
    /// The statutory elements that are absent (see `store::dmca::ELEMENTS`).
    pub missing: Vec<String>,
    pub complete: bool,
    pub takedown: Option<Takedown>,
    pub uploader_notified_at: Option<DateTime<Utc>>,
    pub uploader: String,
    pub counter_notice: Option<CounterNotice>,
    /// Earliest and latest restore dates (`YYYY-MM-DD`): 10 and 14 US business days after the
    /// counter-notice was received.
    pub restore_window: Option<(String, String)>,
}

/// One hit of a full-text search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub case_reference: String,
    /// `event`, `evidence`, `note` or `subject`.
    pub entity: String,
    pub entity_id: String,
    pub snippet: String,
    /// BM25 rank: lower is better.
    pub rank: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_text() {
        for kind in CaseKind::ALL {
            assert_eq!(kind.as_str().parse::<CaseKind>().ok(), Some(*kind));
        }
        for p in Precision::ALL {
            assert_eq!(p.to_string().parse::<Precision>().ok(), Some(*p));
        }
    }

    #[test]
    fn unknown_kind_names_the_choices() {
        let err = "ban".parse::<CaseKind>().expect_err("not a kind");
        assert_eq!(err.code(), "invalid_input");
        assert!(err.to_string().contains("global_ban"), "{err}");
    }

    #[test]
    fn templates_set_urgency_and_restriction() {
        assert_eq!(CaseKind::ThreatOfHarm.default_priority(), Priority::Urgent);
        assert_eq!(CaseKind::ChildProtection.default_sensitivity(), Sensitivity::Restricted);
        assert_eq!(CaseKind::Dmca.default_sensitivity(), Sensitivity::Normal);
    }

    #[test]
    fn redaction_hides_values_but_not_presence() {
        let np = NonpublicFields { real_name: Some("Jane".into()), email: None, ip: Some("192.0.2.1".into()) };
        let r = np.redacted();
        assert_eq!(r.real_name.as_deref(), Some("[redacted]"));
        assert_eq!(r.email, None);
        assert!(!format!("{r:?}").contains("Jane"));
    }
}
