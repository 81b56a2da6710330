//! DMCA notices (17 U.S.C. § 512(c)(3)): what the complainant must give before anything is taken
//! down, the takedown, the uploader's notice, the counter-notice and its restore window, and the
//! entry for the public DMCA archive. The complainant's details and signature are non-public:
//! redacted in every listing and answer unless revealed with a reason, which goes into the access
//! log.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;

use super::{Store, new_id, payload, register::wikitext, reveal::checked_reason, time_col};
use crate::{
    Error, Result, audit, calendar,
    model::{Complainant, CounterNotice, DmcaNotice, REDACTED, Takedown, TakedownItem},
    time,
};

/// The statutory elements of a notice, by the names `missing` uses.
pub const ELEMENTS: &[&str] = &[
    "work",                // identification of the copyrighted work
    "material",            // identification of the infringing material
    "urls",                // where the material is
    "complainant_name",    // who complains
    "complainant_contact", // an address, an email or a phone number
    "good_faith",          // the good-faith statement
    "accuracy",            // accuracy, and authority under penalty of perjury
    "signature",           // a physical or electronic signature
];

/// A counter-notice may be restored on from the 10th business day after its receipt, and must
/// be by the 14th.
pub const RESTORE_AFTER_BUSINESS_DAYS: (u32, u32) = (10, 14);

/// A notice as received, complete or not. In an update a complainant field or a signature
/// reading `[redacted]` (a redacted copy sent back) keeps what is stored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewDmcaNotice {
    /// RFC 3339; now when absent.
    pub received_at: Option<String>,
    pub work: String,
    pub material: String,
    pub urls: Vec<String>,
    pub complainant: Complainant,
    pub good_faith: bool,
    pub accuracy: bool,
    pub signature: String,
}

const MAX_TEXT_CHARS: usize = 20_000;
const MAX_FIELD_CHARS: usize = 1_000;
const MAX_URLS: usize = 500;
const MAX_ITEMS: usize = 1_000;

const COLUMNS: &str = "n.id, n.case_id, c.reference, n.received_at, n.work, n.material, n.urls, n.complainant,
     n.good_faith, n.accuracy, n.signature, n.takedown, n.uploader, n.uploader_notified_at, n.counter_notice";

impl Store<'_> {
    /// Records a notice received for one of this vault's own cases; returned redacted.
    pub fn dmca_add(&self, case_reference: &str, new: &NewDmcaNotice) -> Result<DmcaNotice> {
        let case = self.writable_case(case_reference)?;
        let mut notice = DmcaNotice {
            id: new_id(),
            case_id: case.id.clone(),
            case_reference: case.reference.clone(),
            received_at: Utc::now(),
            work: String::new(),
            material: String::new(),
            urls: Vec::new(),
            complainant: Complainant::default(),
            good_faith: false,
            accuracy: false,
            signature: String::new(),
            missing: Vec::new(),
            complete: false,
            takedown: None,
            uploader_notified_at: None,
            uploader: String::new(),
            counter_notice: None,
            restore_window: None,
        };
        apply(&mut notice, new)?;
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO dmca_notices(id, case_id, received_at) VALUES (?1, ?2, ?3)",
            params![notice.id, notice.case_id, time::to_db(&notice.received_at)],
        )?;
        save(&tx, &notice)?;
        audit::append(&tx, self.actor, "dmca.add", Some(&case.id), &notice.id, &payload(&notice))?;
        tx.commit()?;
        Ok(redacted(derive(notice)))
    }

    /// Replaces a notice's contents (a complainant sends what was missing). Refused once a
    /// takedown rests on it.
    pub fn dmca_update(&self, id: &str, new: &NewDmcaNotice) -> Result<DmcaNotice> {
        let mut notice = self.writable_notice(id)?;
        if notice.takedown.is_some() {
            return Err(Error::invalid("the takedown rests on this notice as it was; add a note to the case instead"));
        }
        apply(&mut notice, new)?;
        self.write(&notice, "dmca.update")?;
        Ok(redacted(derive(notice)))
    }

    /// The notices of one case, or of every case, newest first; complainants redacted.
    pub fn dmca_list(&self, case_reference: Option<&str>) -> Result<Vec<DmcaNotice>> {
        let case_id = case_reference.map(|r| self.case(r)).transpose()?.map(|c| c.id);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM dmca_notices n JOIN cases c ON c.id = n.case_id
             WHERE ?1 IS NULL OR n.case_id = ?1 ORDER BY n.received_at DESC, n.seq DESC"
        ))?;
        let rows = stmt.query_map([case_id], from_row)?;
        rows.map(|n| Ok(redacted(derive(n?)))).collect()
    }

    /// One notice; its complainant redacted.
    pub fn dmca_get(&self, id: &str) -> Result<DmcaNotice> {
        Ok(redacted(self.notice(id)?))
    }

    /// One notice with its complainant's details, recorded in the access log with `reason`.
    pub fn dmca_reveal(&self, id: &str, reason: &str) -> Result<DmcaNotice> {
        let reason = checked_reason(reason)?;
        let notice = self.notice(id)?;
        self.record_access("dmca.reveal_complainant", &notice.case_id, &notice.id, reason)?;
        Ok(notice)
    }

    /// Records that `items` were taken down on the strength of the notice: refused while any
    /// statutory element is missing.
    pub fn dmca_takedown(&self, id: &str, items: &[TakedownItem]) -> Result<DmcaNotice> {
        let mut notice = self.writable_notice(id)?;
        if !notice.complete {
            return Err(Error::invalid(format!(
                "the notice is incomplete (missing: {}); nothing may be taken down on it yet",
                notice.missing.join(", ")
            )));
        }
        if notice.takedown.is_some() {
            return Err(Error::invalid("a takedown is already recorded for this notice"));
        }
        if items.is_empty() {
            return Err(Error::invalid("name at least one page taken down"));
        }
        if items.len() > MAX_ITEMS {
            return Err(Error::invalid(format!("a takedown names at most {MAX_ITEMS} pages")));
        }
        let mut checked = Vec::with_capacity(items.len());
        for item in items {
            let (wiki, page) = (item.wiki.trim(), item.page.trim());
            if wiki.is_empty() || page.is_empty() {
                return Err(Error::invalid("every page taken down needs its wiki and its title"));
            }
            if wiki.chars().chain(page.chars()).any(char::is_control) || wiki.contains(' ') {
                return Err(Error::invalid("a wiki or a page title must be one line (and a wiki has no spaces)"));
            }
            let mut revisions = item.revisions.clone();
            revisions.sort_unstable();
            revisions.dedup();
            checked.push(TakedownItem { wiki: wiki.to_string(), page: page.to_string(), revisions });
        }
        notice.takedown = Some(Takedown { at: Utc::now(), by: self.actor.to_string(), items: checked });
        self.write(&notice, "dmca.takedown")?;
        Ok(redacted(derive(notice)))
    }

    /// Records that the uploader of the removed material was told of the takedown.
    pub fn dmca_notify_uploader(&self, id: &str, uploader: &str) -> Result<DmcaNotice> {
        let mut notice = self.writable_notice(id)?;
        if notice.takedown.is_none() {
            return Err(Error::invalid("record the takedown before notifying the uploader"));
        }
        let uploader = one_line("the uploader", uploader, 255)?;
        if uploader.is_empty() {
            return Err(Error::invalid("name the uploader who was notified"));
        }
        notice.uploader = uploader;
        notice.uploader_notified_at = Some(Utc::now());
        self.write(&notice, "dmca.notify_uploader")?;
        Ok(redacted(derive(notice)))
    }

    /// Records the uploader's counter-notice; the restore window follows from its receipt.
    pub fn dmca_counter_notice(
        &self,
        id: &str,
        from: &str,
        statement: &str,
        received_at: Option<&str>,
    ) -> Result<DmcaNotice> {
        let mut notice = self.writable_notice(id)?;
        if notice.takedown.is_none() {
            return Err(Error::invalid("a counter-notice answers a takedown; none is recorded for this notice"));
        }
        if notice.counter_notice.is_some() {
            return Err(Error::invalid("a counter-notice is already recorded for this notice"));
        }
        let from = one_line("the counter-notice's sender", from, MAX_FIELD_CHARS)?;
        let statement = bounded("the counter-notice's statement", statement, MAX_TEXT_CHARS)?;
        if from.is_empty() || statement.is_empty() {
            return Err(Error::invalid("a counter-notice needs who sent it and its statement"));
        }
        let received_at = match received_at.filter(|t| !t.trim().is_empty()) {
            Some(text) => time::parse_rfc3339(text)?,
            None => Utc::now(),
        };
        notice.counter_notice = Some(CounterNotice { received_at, from, statement });
        self.write(&notice, "dmca.counter_notice")?;
        Ok(redacted(derive(notice)))
    }

    /// The entry for the public DMCA archive page, in wikitext: the takedown's date, the work
    /// and the pages removed. Nothing about the complainant.
    pub fn dmca_archive_entry(&self, id: &str) -> Result<String> {
        let notice = self.notice(id)?;
        let Some(takedown) = &notice.takedown else {
            return Err(Error::invalid("nothing was taken down on this notice; an archive entry records a takedown"));
        };
        let mut out = format!("=== {} ===\n", takedown.at.format("%Y-%m-%d"));
        out.push_str(&format!("* Work: {}\n", wikitext(&notice.work)));
        out.push_str("* Removed:\n");
        for item in &takedown.items {
            out.push_str(&format!("** {}: {}", wikitext(&item.wiki), wikitext(&item.page)));
            if !item.revisions.is_empty() {
                let revisions: Vec<String> = item.revisions.iter().map(u64::to_string).collect();
                out.push_str(&format!(" (revisions {})", revisions.join(", ")));
            }
            out.push('\n');
        }
        Ok(out)
    }

    /// A notice, unredacted. Callers decide what to show.
    fn notice(&self, id: &str) -> Result<DmcaNotice> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM dmca_notices n JOIN cases c ON c.id = n.case_id WHERE n.id = ?1"),
                [id.trim()],
                from_row,
            )
            .optional()?
            .map(derive)
            .ok_or_else(|| Error::not_found("DMCA notice", id))
    }

    /// A notice whose case may be changed here.
    fn writable_notice(&self, id: &str) -> Result<DmcaNotice> {
        let notice = self.notice(id)?;
        self.writable_case(&notice.case_reference)?;
        Ok(notice)
    }

    fn write(&self, notice: &DmcaNotice, action: &str) -> Result<()> {
        let tx = self.tx()?;
        save(&tx, notice)?;
        audit::append(&tx, self.actor, action, Some(&notice.case_id), &notice.id, &payload(notice))?;
        tx.commit()?;
        Ok(())
    }
}

/// Takes a notice's contents from `new`, checked.
fn apply(notice: &mut DmcaNotice, new: &NewDmcaNotice) -> Result<()> {
    if let Some(text) = new.received_at.as_deref().filter(|t| !t.trim().is_empty()) {
        notice.received_at = time::parse_rfc3339(text)?;
    }
    notice.work = bounded("the work's description", &new.work, MAX_TEXT_CHARS)?;
    notice.material = bounded("the material's description", &new.material, MAX_TEXT_CHARS)?;
    let mut urls: Vec<String> = Vec::new();
    for (n, raw) in new.urls.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).enumerate() {
        let ok = url::Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return Err(Error::invalid(format!("URL {} of the material is not an http(s) address", n + 1)));
        }
        if !urls.iter().any(|u| u == raw) {
            urls.push(raw.to_string());
        }
    }
    if urls.len() > MAX_URLS {
        return Err(Error::invalid(format!("a notice lists at most {MAX_URLS} URLs")));
    }
    notice.urls = urls;
    // A field sent back as "[redacted]" (the complainant's, or the signature) is one the sender
    // never saw: keep what is stored.
    let keep = |given: &str, stored: &str, field: &str, max: usize| -> Result<String> {
        if given.trim() == REDACTED { Ok(stored.to_string()) } else { bounded(field, given, max) }
    };
    let (given, stored) = (&new.complainant, &notice.complainant);
    let complainant = Complainant {
        name: keep(&given.name, &stored.name, "the complainant's name", MAX_FIELD_CHARS)?,
        address: keep(&given.address, &stored.address, "the complainant's address", MAX_FIELD_CHARS)?,
        email: keep(&given.email, &stored.email, "the complainant's email", MAX_FIELD_CHARS)?,
        phone: keep(&given.phone, &stored.phone, "the complainant's phone", MAX_FIELD_CHARS)?,
    };
    if !complainant.email.is_empty() && !complainant.email.contains('@') {
        return Err(Error::invalid("the complainant's email is not an email address"));
    }
    notice.complainant = complainant;
    notice.good_faith = new.good_faith;
    notice.accuracy = new.accuracy;
    notice.signature = keep(&new.signature, &notice.signature, "the signature", MAX_FIELD_CHARS)?;
    Ok(())
}

/// The statutory elements absent from `notice`, in [`ELEMENTS`] order.
pub fn missing_elements(notice: &DmcaNotice) -> Vec<String> {
    let c = &notice.complainant;
    let present = |element: &str| match element {
        "work" => !notice.work.is_empty(),
        "material" => !notice.material.is_empty(),
        "urls" => !notice.urls.is_empty(),
        "complainant_name" => !c.name.is_empty(),
        "complainant_contact" => !(c.address.is_empty() && c.email.is_empty() && c.phone.is_empty()),
        "good_faith" => notice.good_faith,
        "accuracy" => notice.accuracy,
        "signature" => !notice.signature.is_empty(),
        _ => true,
    };
    ELEMENTS.iter().filter(|e| !present(e)).map(|e| e.to_string()).collect()
}

/// Fills in what follows from the stored fields: what is missing, and the restore window.
fn derive(mut notice: DmcaNotice) -> DmcaNotice {
    notice.missing = missing_elements(&notice);
    notice.complete = notice.missing.is_empty();
    notice.restore_window = notice.counter_notice.as_ref().map(|c| {
        let day = c.received_at.date_naive();
        let (earliest, latest) = RESTORE_AFTER_BUSINESS_DAYS;
        let format = |n| calendar::add_business_days(day, n).format("%Y-%m-%d").to_string();
        (format(earliest), format(latest))
    });
    notice
}

/// The notice as every listing shows it: the complainant's details, and the signature (which is
/// their name, as a rule), hidden.
fn redacted(mut notice: DmcaNotice) -> DmcaNotice {
    notice.complainant = notice.complainant.redacted();
    if !notice.signature.is_empty() {
        notice.signature = REDACTED.to_string();
    }
    notice
}

/// Trimmed text of at most `max` characters; the error names the field, never its contents.
fn bounded(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(Error::invalid(format!("{field} is at most {max} characters")));
    }
    Ok(text.to_string())
}

fn one_line(field: &str, text: &str, max: usize) -> Result<String> {
    let text = bounded(field, text, max)?;
    if text.contains(char::is_control) {
        return Err(Error::invalid(format!("{field} must be one line")));
    }
    Ok(text)
}

fn save(conn: &rusqlite::Connection, n: &DmcaNotice) -> Result<()> {
    conn.execute(
        "UPDATE dmca_notices SET received_at = ?2, work = ?3, material = ?4, urls = ?5, complainant = ?6,
                good_faith = ?7, accuracy = ?8, signature = ?9, takedown = ?10, uploader = ?11,
                uploader_notified_at = ?12, counter_notice = ?13
         WHERE id = ?1",
        params![
            n.id,
            time::to_db(&n.received_at),
            n.work,
            n.material,
            json(&n.urls),
            json(&n.complainant),
            n.good_faith,
            n.accuracy,
            n.signature,
            n.takedown.as_ref().map(json),
            n.uploader,
            n.uploader_notified_at.as_ref().map(time::to_db),
            n.counter_notice.as_ref().map(json),
        ],
    )?;
    Ok(())
}

/// One of the notice's JSON columns.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DmcaNotice> {
    fn json<T: serde::de::DeserializeOwned>(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<T> {
        let text: String = row.get(idx)?;
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.to_string().into())
        })
    }
    fn optional<T: serde::de::DeserializeOwned>(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Option<T>> {
        match row.get::<_, Option<String>>(idx)? {
            None => Ok(None),
            Some(_) => json(row, idx).map(Some),
        }
    }
    let notified: Option<String> = row.get(13)?;
    Ok(DmcaNotice {
        id: row.get(0)?,
        case_id: row.get(1)?,
        case_reference: row.get(2)?,
        received_at: time_col(row, 3)?,
        work: row.get(4)?,
        material: row.get(5)?,
        urls: json(row, 6)?,
        complainant: json(row, 7)?,
        good_faith: row.get(8)?,
        accuracy: row.get(9)?,
        signature: row.get(10)?,
        takedown: optional(row, 11)?,
        uploader: row.get(12)?,
        uploader_notified_at: notified
            .map(|t| time::from_db(&t))
            .transpose()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(13, rusqlite::types::Type::Text, e.into()))?,
        counter_notice: optional(row, 14)?,
        missing: Vec::new(),
        complete: false,
        restore_window: None,
    })
}
