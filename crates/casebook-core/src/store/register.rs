//! The office-action register: every global ban, event ban, warning and interaction ban
//! recorded on this vault's own approved cases, and the two things written out of it: a CSV for
//! a spreadsheet and the public log in wikitext. Neither carries a reason, a reference or any
//! other case data; the public log carries only username, date and action.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use std::path::Path;

use super::{Store, new_id, parse_col, payload, time_col};
use crate::{
    Error, Result, audit, fsutil,
    model::{ActionAccount, ActionKind, ActionStatus, CaseStatus, EventDetails, OfficeAction, RegisterFormat},
    time,
};

/// An office action to record. Dates are `YYYY-MM-DD`, checked here so every caller gets the
/// same sentence back.
#[derive(Debug, Clone)]
pub struct NewOfficeAction {
    pub kind: ActionKind,
    pub accounts: Vec<ActionAccount>,
    /// Required for an event ban, refused for any other kind.
    pub event: Option<EventDetails>,
    /// Required for kind `other`, refused for any other kind.
    pub other_label: String,
    pub effective_on: String,
    pub review_on: Option<String>,
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    pub kind: Option<ActionKind>,
    /// Compared with the status as of today (so `expired` finds lapsed actions).
    pub status: Option<ActionStatus>,
    /// A username (`Name`) or an account (`Name@wiki`); case-insensitive, `_` the same as a space.
    pub account: Option<String>,
}

/// An action is due for review when its review date is this close or past.
pub const REVIEW_HORIZON_DAYS: i64 = 30;

const MAX_ACCOUNTS: usize = 200;
const MAX_NAME_CHARS: usize = 255;
const MAX_TEXT_CHARS: usize = 500;

const COLUMNS: &str = "a.id, a.case_id, c.reference, a.kind, a.accounts, a.event, a.other_label, a.effective_on,
     a.review_on, a.expires_on, a.recorded_by, a.recorded_at, a.status, a.overturned_at, a.overturn_rationale";

impl Store<'_> {
    /// Records an office action on one of this vault's own cases once it is approved (or a
    /// further one after the first), and marks the case `action_recorded`.
    pub fn record_office_action(&self, case_reference: &str, new: &NewOfficeAction) -> Result<OfficeAction> {
        let mut case = self.writable_case(case_reference)?;
        if !matches!(case.status, CaseStatus::Approved | CaseStatus::ActionRecorded) {
            return Err(Error::invalid(format!(
                "{} is {}; an office action is recorded once the case is approved",
                case.reference, case.status
            )));
        }
        let checked = check(new)?;
        let action = OfficeAction {
            id: new_id(),
            case_id: case.id.clone(),
            case_reference: case.reference.clone(),
            kind: new.kind,
            accounts: checked.accounts,
            event: checked.event,
            other_label: checked.other_label,
            effective_on: checked.effective_on,
            review_on: checked.review_on,
            expires_on: checked.expires_on,
            recorded_by: self.actor.to_string(),
            recorded_at: Utc::now(),
            status: ActionStatus::Active,
            overturned_at: None,
            overturn_rationale: String::new(),
            review_due: false,
        };
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO office_actions(id, case_id, kind, accounts, event, other_label, effective_on, review_on,
                                        expires_on, recorded_by, recorded_at, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'active')",
            params![
                action.id,
                action.case_id,
                action.kind.as_str(),
                serde_json::to_string(&action.accounts).unwrap_or_else(|_| "[]".into()),
                action.event.as_ref().map(|e| serde_json::to_string(e).unwrap_or_default()),
                action.other_label,
                date_to_db(action.effective_on),
                action.review_on.map(date_to_db),
                action.expires_on.map(date_to_db),
                action.recorded_by,
                time::to_db(&action.recorded_at),
            ],
        )?;
        audit::append(&tx, self.actor, "office_action.record", Some(&case.id), &action.id, &payload(&action))?;
        if case.status != CaseStatus::ActionRecorded {
            case.status = CaseStatus::ActionRecorded;
            tx.execute("UPDATE cases SET status = ?2 WHERE id = ?1", params![case.id, case.status.as_str()])?;
            audit::append(&tx, self.actor, "case.update", Some(&case.id), &case.id, &payload(&case))?;
        }
        tx.commit()?;
        Ok(with_status(action, today()))
    }

    /// The register as of today, newest effective date first.
    pub fn register(&self, filter: &RegisterFilter) -> Result<Vec<OfficeAction>> {
        self.register_as_of(filter, today())
    }

    /// The register with `expired` and `review_due` computed against `today`.
    pub fn register_as_of(&self, filter: &RegisterFilter, today: NaiveDate) -> Result<Vec<OfficeAction>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM office_actions a JOIN cases c ON c.id = a.case_id
             WHERE ?1 IS NULL OR a.kind = ?1
             ORDER BY a.effective_on DESC, a.recorded_at DESC, a.seq DESC"
        ))?;
        let rows = stmt.query_map([filter.kind.map(|k| k.as_str())], from_row)?;
        let account = filter.account.as_deref().map(AccountQuery::parse);
        let mut actions = Vec::new();
        for row in rows {
            let action = with_status(row?, today);
            if filter.status.is_some_and(|s| s != action.status) {
                continue;
            }
            if account.as_ref().is_some_and(|q| !action.accounts.iter().any(|a| q.matches(a))) {
                continue;
            }
            actions.push(action);
        }
        Ok(actions)
    }

    /// The register as CSV (RFC 4180). No reason, reference or case text.
    pub fn register_csv(&self, filter: &RegisterFilter) -> Result<String> {
        Ok(to_csv(&self.register(filter)?).0)
    }

    /// The public log in wikitext: one row per account of every active global and event ban,
    /// with only username, date and action.
    pub fn register_wiki_log(&self, filter: &RegisterFilter) -> Result<String> {
        Ok(to_wiki_log(&self.register(filter)?).0)
    }

    /// Writes the CSV or the public log to `to` (owner-readable only, never over an existing
    /// file), audited; returns how many rows it holds.
    pub fn register_export(&self, filter: &RegisterFilter, format: RegisterFormat, to: &Path) -> Result<usize> {
        if to.exists() {
            return Err(Error::invalid(format!("{} already exists; choose a new file", to.display())));
        }
        let actions = self.register(filter)?;
        let (text, rows) = match format {
            RegisterFormat::Csv => to_csv(&actions),
            RegisterFormat::Wiki => to_wiki_log(&actions),
        };
        self.record("register.export", None, format.as_str(), text.as_bytes())?;
        fsutil::write_new_private(to, text.as_bytes(), "the register")?;
        Ok(rows)
    }

    /// Marks every active action of the case overturned (a committee overturned it). Running it
    /// again changes nothing. Returns how many actions it overturned.
    pub fn overturn_office_action(&self, case_id: &str, rationale: &str, at: DateTime<Utc>) -> Result<usize> {
        let known: Option<String> =
            self.conn.query_row("SELECT id FROM cases WHERE id = ?1", [case_id], |r| r.get(0)).optional()?;
        if known.is_none() {
            return Err(Error::not_found("case", case_id));
        }
        let rationale = rationale.trim();
        let tx = self.tx()?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM office_actions WHERE case_id = ?1 AND status = 'active'")?;
            stmt.query_map([case_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        for id in &ids {
            tx.execute(
                "UPDATE office_actions SET status = 'overturned', overturned_at = ?2, overturn_rationale = ?3 WHERE id = ?1",
                params![id, time::to_db(&at), rationale],
            )?;
            let record = serde_json::json!({ "id": id, "at": time::to_db(&at), "rationale": rationale });
            audit::append(&tx, self.actor, "office_action.overturn", Some(case_id), id, &payload(&record))?;
        }
        tx.commit()?;
        Ok(ids.len())
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn date_to_db(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Parses a `YYYY-MM-DD` date, naming the field (never repeating the input) when it is not one.
pub(crate) fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(format!("{field} must be a date, YYYY-MM-DD")))
}

struct Checked {
    accounts: Vec<ActionAccount>,
    event: Option<EventDetails>,
    other_label: String,
    effective_on: NaiveDate,
    review_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
}

fn check(new: &NewOfficeAction) -> Result<Checked> {
    let effective_on = parse_date("effective_on", &new.effective_on)?;
    let optional = |field: &str, text: &Option<String>| -> Result<Option<NaiveDate>> {
        let date = text.as_deref().filter(|t| !t.trim().is_empty()).map(|t| parse_date(field, t)).transpose()?;
        if date.is_some_and(|d| d < effective_on) {
            return Err(Error::invalid(format!("{field} must not be before effective_on")));
        }
        Ok(date)
    };
    let review_on = optional("review_on", &new.review_on)?;
    let expires_on = optional("expires_on", &new.expires_on)?;

    let mut accounts: Vec<ActionAccount> = Vec::new();
    for account in &new.accounts {
        let (username, wiki) = (account.username.trim(), account.wiki.trim());
        if username.is_empty() || wiki.is_empty() {
            return Err(Error::invalid("every account needs a username and a wiki"));
        }
        if username.chars().chain(wiki.chars()).any(char::is_control) || wiki.contains(char::is_whitespace) {
            return Err(Error::invalid("a username or wiki must be one line (and a wiki has no spaces)"));
        }
        if username.chars().count() > MAX_NAME_CHARS || wiki.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(format!("a username or wiki is at most {MAX_NAME_CHARS} characters")));
        }
        let account = ActionAccount { username: username.to_string(), wiki: wiki.to_string() };
        if !accounts.contains(&account) {
            accounts.push(account);
        }
    }
    if accounts.is_empty() {
        return Err(Error::invalid("an office action needs at least one account"));
    }
    if accounts.len() > MAX_ACCOUNTS {
        return Err(Error::invalid(format!("an office action names at most {MAX_ACCOUNTS} accounts")));
    }

    let event = match (new.kind, &new.event) {
        (ActionKind::EventBan, None) => {
            return Err(Error::invalid("an event ban needs the event: its name, place, start and end dates"));
        }
        (ActionKind::EventBan, Some(event)) => Some(check_event(event)?),
        (_, Some(_)) => return Err(Error::invalid("only an event ban names an event")),
        (_, None) => None,
    };
    let other_label = new.other_label.trim().to_string();
    match new.kind {
        ActionKind::Other if other_label.is_empty() => {
            return Err(Error::invalid("an action of kind other needs a label saying what it is"));
        }
        ActionKind::Other => {}
        _ if !other_label.is_empty() => return Err(Error::invalid("only an action of kind other has a label")),
        _ => {}
    }
    if other_label.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::invalid(format!("a label is at most {MAX_TEXT_CHARS} characters")));
    }
    Ok(Checked { accounts, event, other_label, effective_on, review_on, expires_on })
}

fn check_event(event: &EventDetails) -> Result<EventDetails> {
    let (name, place) = (event.name.trim(), event.place.trim());
    if name.is_empty() || place.is_empty() {
        return Err(Error::invalid("an event ban needs the event's name and place"));
    }
    if name.chars().count() > MAX_TEXT_CHARS || place.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::invalid(format!("an event's name or place is at most {MAX_TEXT_CHARS} characters")));
    }
    let starts_on = parse_date("the event's starts_on", &event.starts_on)?;
    let ends_on = parse_date("the event's ends_on", &event.ends_on)?;
    if ends_on < starts_on {
        return Err(Error::invalid("an event must not end before it starts"));
    }
    Ok(EventDetails {
        name: name.to_string(),
        place: place.to_string(),
        starts_on: date_to_db(starts_on),
        ends_on: date_to_db(ends_on),
    })
}

/// Sets the status (`expired` once `expires_on` is past) and `review_due` as of `today`.
fn with_status(mut action: OfficeAction, today: NaiveDate) -> OfficeAction {
    if action.status == ActionStatus::Active && action.expires_on.is_some_and(|e| e < today) {
        action.status = ActionStatus::Expired;
    }
    action.review_due = action.status == ActionStatus::Active
        && action.review_on.is_some_and(|r| r <= today + Duration::days(REVIEW_HORIZON_DAYS));
    action
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OfficeAction> {
    let json_err = |idx: usize, e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.to_string().into())
    };
    let date = |idx: usize| -> rusqlite::Result<Option<NaiveDate>> {
        row.get::<_, Option<String>>(idx)?
            .map(|t| {
                NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.to_string().into())
                })
            })
            .transpose()
    };
    let accounts: String = row.get(4)?;
    let event: Option<String> = row.get(5)?;
    let overturned_at: Option<String> = row.get(13)?;
    Ok(OfficeAction {
        id: row.get(0)?,
        case_id: row.get(1)?,
        case_reference: row.get(2)?,
        kind: parse_col(row, 3)?,
        accounts: serde_json::from_str(&accounts).map_err(|e| json_err(4, e))?,
        event: event.map(|e| serde_json::from_str(&e)).transpose().map_err(|e| json_err(5, e))?,
        other_label: row.get(6)?,
        effective_on: date(7)?.unwrap_or_default(),
        review_on: date(8)?,
        expires_on: date(9)?,
        recorded_by: row.get(10)?,
        recorded_at: time_col(row, 11)?,
        status: parse_col(row, 12)?,
        overturned_at: overturned_at
            .map(|t| time::from_db(&t))
            .transpose()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(13, rusqlite::types::Type::Text, e.into()))?,
        overturn_rationale: row.get(14)?,
        review_due: false,
    })
}

/// What `--account` asks for: a username, or a username on one wiki.
struct AccountQuery {
    username: String,
    wiki: Option<String>,
}

impl AccountQuery {
    fn parse(text: &str) -> Self {
        let text = text.trim();
        match text.rsplit_once('@') {
            Some((user, wiki)) if !user.is_empty() && !wiki.is_empty() && !wiki.contains(' ') => {
                AccountQuery { username: fold(user), wiki: Some(wiki.to_lowercase()) }
            }
            _ => AccountQuery { username: fold(text), wiki: None },
        }
    }

    fn matches(&self, account: &ActionAccount) -> bool {
        fold(&account.username) == self.username
            && self.wiki.as_ref().is_none_or(|w| account.wiki.eq_ignore_ascii_case(w))
    }
}

fn fold(name: &str) -> String {
    name.trim().replace('_', " ").to_lowercase()
}

/// The CSV and its row count. Columns: kind, accounts, wikis (in the accounts' order, `; `
/// between), event, effective_on, review_on, expires_on, status.
fn to_csv(actions: &[OfficeAction]) -> (String, usize) {
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&["kind", "accounts", "wikis", "event", "effective_on", "review_on", "expires_on", "status"]);
    for a in actions {
        let usernames: Vec<&str> = a.accounts.iter().map(|x| x.username.as_str()).collect();
        let wikis: Vec<&str> = a.accounts.iter().map(|x| x.wiki.as_str()).collect();
        let event = a
            .event
            .as_ref()
            .map(|e| format!("{} — {}, {} to {}", e.name, e.place, e.starts_on, e.ends_on))
            .unwrap_or_default();
        let date = |d: Option<NaiveDate>| d.map(date_to_db).unwrap_or_default();
        line(&[
            a.kind.as_str(),
            &usernames.join("; "),
            &wikis.join("; "),
            &event,
            &date_to_db(a.effective_on),
            &date(a.review_on),
            &date(a.expires_on),
            a.status.as_str(),
        ]);
    }
    (out, actions.len())
}

/// One CSV field: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` so that a
/// spreadsheet shows it as text instead of running it as a formula; then RFC 4180 quoting.
pub(crate) fn csv_cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\r', '\n']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// The public log and its row count: active global and event bans, one row per account.
fn to_wiki_log(actions: &[OfficeAction]) -> (String, usize) {
    let mut out = String::from("{| class=\"wikitable sortable\"\n! Username !! Date !! Action\n");
    let mut rows = 0;
    for a in actions.iter().filter(|a| a.status == ActionStatus::Active) {
        let label = match a.kind {
            ActionKind::GlobalBan => "Global ban",
            ActionKind::EventBan => "Event ban",
            _ => continue,
        };
        for account in &a.accounts {
            out.push_str(&format!(
                "|-\n| {} || {} || {label}\n",
                wikitext(&account.username),
                date_to_db(a.effective_on)
            ));
            rows += 1;
        }
    }
    out.push_str("|}\n");
    (out, rows)
}

/// Text that a wiki shows as written: every character that wikitext could read as markup (a
/// table cell bar, a link, a template, bold, a signature, a magic word, a free link) becomes a
/// character reference, and a line break becomes a space.
pub(crate) fn wikitext(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '{' | '}' | '|' | '\'' | '=' | '~' | '_' | '*' | '#' | ':' | ';' | '!' | '"' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_per_rfc_4180() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("Smith, J"), "\"Smith, J\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a=b"), "a=b");
    }

    #[test]
    fn wikitext_escapes_markup() {
        assert_eq!(wikitext("Plain Name"), "Plain Name");
        let hostile = "x || [[Evil]] {{tpl}} ''b'' ~~~~ <script>\nnext";
        let escaped = wikitext(hostile);
        for markup in ["||", "[[", "{{", "''", "~~~~", "<script>", "\n"] {
            assert!(!escaped.contains(markup), "{markup} survived in {escaped}");
        }
    }
}
