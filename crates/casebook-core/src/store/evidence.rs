//! Evidence: content stored in the vault as content-addressed chunks (deduplicated by their
//! SHA-256; the bytes in encrypted chunk files, see [`Chunks`]), streamed in and out so a
//! multi-GiB file never sits whole in memory.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::{
    fs::{self, File},
    io::{BufWriter, ErrorKind, Read, Write},
    path::Path,
    sync::mpsc,
    thread,
};

use super::{Store, new_id, parse_col, payload, time_col};
use crate::{
    Error, Result, audit, fsutil, mime,
    model::{Evidence, EvidenceKind, Sensitivity},
    time,
    vault::chunks::{self, Chunks},
};

pub const CHUNK_SIZE: usize = 1 << 20;
/// How much of a text item's start is indexed for full-text search.
pub(super) const INDEXED_TEXT: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub kind: EvidenceKind,
    /// Defaults to the original file name.
    pub title: Option<String>,
    pub source_url: Option<String>,
    pub original_name: String,
    /// Defaults to the case's template (restricted in child-protection cases).
    pub sensitivity: Option<Sensitivity>,
    pub captured_at: Option<DateTime<Utc>>,
}

pub(crate) const COLUMNS: &str = "id, case_id, kind, title, source_url, captured_at, captured_by, sha256, size, mime, original_name, sensitivity, redaction";

pub(crate) fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        id: row.get(0)?,
        case_id: row.get(1)?,
        kind: parse_col(row, 2)?,
        title: row.get(3)?,
        source_url: row.get(4)?,
        captured_at: time_col(row, 5)?,
        captured_by: row.get(6)?,
        sha256: row.get(7)?,
        size: row.get::<_, i64>(8)? as u64,
        mime: row.get(9)?,
        original_name: row.get(10)?,
        sensitivity: parse_col(row, 11)?,
        redaction: match row.get::<_, Option<String>>(12)? {
            None => None,
            Some(json) => Some(serde_json::from_str(&json).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(12, rusqlite::types::Type::Text, Box::new(e))
            })?),
        },
    })
}

impl Store<'_> {
    /// Adds the file at `path`. Missing, empty and non-UTF-8-named files are refused before
    /// anything is written.
    pub fn add_evidence_file(&self, case_reference: &str, path: &Path, new: &NewEvidence) -> Result<Evidence> {
        let (file, name) = open_file(path)?;
        let new = NewEvidence { original_name: name, ..new.clone() };
        self.add_evidence(case_reference, file, &new)
    }

    /// Streams `content` into the vault in one transaction: chunks, the item and its audit row.
    /// On failure (a read error, a cancel, a full disk) the chunk files already written are
    /// removed at once when no other handle has the vault open, else at the next unlock.
    pub fn add_evidence(&self, case_reference: &str, content: impl Read, new: &NewEvidence) -> Result<Evidence> {
        let added = self.add_evidence_in_tx(case_reference, content, new);
        if added.is_err() {
            let _ = self.chunks.sweep(self.conn);
        }
        added
    }

    fn add_evidence_in_tx(&self, case_reference: &str, mut content: impl Read, new: &NewEvidence) -> Result<Evidence> {
        let case = self.writable_case(case_reference)?;
        if new.original_name.trim().is_empty() {
            return Err(Error::invalid("evidence needs an original name"));
        }
        if let Some(url) = &new.source_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(Error::invalid(format!("the source URL {url:?} must start with http:// or https://")));
        }
        let tx = self.tx()?;
        let stored = store_content(&tx, self.chunks, &mut content)?;
        let evidence = Evidence {
            id: new_id(),
            case_id: case.id.clone(),
            kind: new.kind,
            title: new
                .title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .unwrap_or(&new.original_name)
                .to_string(),
            source_url: new.source_url.clone(),
            captured_at: new.captured_at.unwrap_or_else(Utc::now),
            captured_by: self.actor.to_string(),
            sha256: stored.sha256.clone(),
            size: stored.size,
            mime: mime::sniff(&stored.head, &new.original_name).to_string(),
            original_name: new.original_name.clone(),
            sensitivity: new.sensitivity.unwrap_or(case.default_sensitivity),
            redaction: None,
        };
        insert_evidence(&tx, &evidence, &stored)?;
        crate::timestamp::enqueue(&tx, &evidence.id, &evidence.sha256)?;
        audit::append(&tx, self.actor, "evidence.add", Some(&case.id), &evidence.id, &payload(&evidence))?;
        tx.commit()?;
        Ok(evidence)
    }

    pub fn evidence(&self, case_reference: &str) -> Result<Vec<Evidence>> {
        let case = self.case(case_reference)?;
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS} FROM evidence WHERE case_id = ?1 ORDER BY seq"))?;
        let rows = stmt.query_map([&case.id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn evidence_item(&self, case_reference: &str, id: &str) -> Result<Evidence> {
        let case = self.case(case_reference)?;
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM evidence WHERE id = ?1 AND case_id = ?2"),
                [id, &case.id],
                from_row,
            )
            .optional()?
            .ok_or_else(|| Error::not_found("evidence", id))
    }

    /// Streams an item's content to `out`, checking every chunk and the whole file's hash. The
    /// read is audited first: nobody reads evidence without leaving a trace.
    pub fn read_evidence(&self, case_reference: &str, id: &str, out: &mut dyn Write) -> Result<Evidence> {
        let evidence = self.evidence_item(case_reference, id)?;
        let action = match evidence.sensitivity {
            Sensitivity::Restricted => "evidence.read_restricted",
            _ => "evidence.read",
        };
        self.record(action, Some(&evidence.case_id), &evidence.id, evidence.sha256.as_bytes())?;
        write_content(self.conn, self.chunks, &evidence, out)?;
        Ok(evidence)
    }

    /// Exports an item to a new file at `to`, byte-identical to what was added. The file appears
    /// under its name only once every hash has checked out.
    pub fn export_evidence(&self, case_reference: &str, id: &str, to: &Path) -> Result<Evidence> {
        if to.exists() {
            return Err(Error::invalid(format!("{} already exists; choose a new file", to.display())));
        }
        let evidence = self.evidence_item(case_reference, id)?;
        // One row per export, written before any plaintext is: an attempt is an access too.
        let action = match evidence.sensitivity {
            Sensitivity::Restricted => "evidence.export_restricted",
            _ => "evidence.export",
        };
        self.record(action, Some(&evidence.case_id), &evidence.id, evidence.sha256.as_bytes())?;
        let (file, partial) = fsutil::private_temp_beside(to)?;
        let result = (|| -> Result<()> {
            let mut out = BufWriter::new(file);
            write_content(self.conn, self.chunks, &evidence, &mut out)?;
            let file = out.into_inner().map_err(|e| Error::io("flushing the export")(e.into_error()))?;
            file.sync_all().map_err(Error::io("syncing the export"))?;
            fsutil::publish_no_replace(&partial, to)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&partial);
        }
        result.map(|()| evidence)
    }
}

/// Opens a file to keep in the vault, with its name. Missing, empty, non-regular and
/// non-UTF-8-named files are refused with a sentence naming the path.
pub(crate) fn open_file(path: &Path) -> Result<(File, String)> {
    let name = path.file_name().ok_or_else(|| Error::invalid(format!("{} is not a file", path.display())))?;
    let name = name.to_str().ok_or_else(|| {
        Error::invalid(format!("the file name {} is not valid UTF-8; rename the file first", path.display()))
    })?;
    let file = File::open(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => Error::invalid(format!("no such file: {}", path.display())),
        _ => Error::io(format!("opening {}", path.display()))(e),
    })?;
    let meta = file.metadata().map_err(Error::io(format!("reading {}", path.display())))?;
    if !meta.is_file() {
        return Err(Error::invalid(format!("{} is not a regular file", path.display())));
    }
    if meta.len() == 0 {
        return Err(Error::invalid(format!("{} is empty: there is nothing to keep as evidence", path.display())));
    }
    Ok((file, name.to_string()))
}

/// Fills `buf` unless the reader ends first; returns how much was read.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Evidence content written into the vault's chunk store, not yet attached to an item.
pub(crate) struct StoredContent {
    pub(crate) sha256: String,
    pub(crate) size: u64,
    pub(crate) chunks: Vec<[u8; 32]>,
    /// The content's first bytes: what MIME sniffing and the search index see.
    pub(crate) head: Vec<u8>,
}

impl StoredContent {
    /// Content already in the chunk store (a report's attachment), described again so that it
    /// can become an evidence item without copying a byte.
    pub(crate) fn from_chunks(
        conn: &Connection,
        files: &Chunks,
        sha256: String,
        size: u64,
        chunks: Vec<[u8; 32]>,
    ) -> Result<Self> {
        let mut head = Vec::new();
        let mut reader = ChunkReader::new(conn, files);
        let mut plain = Vec::new();
        for hash in &chunks {
            if head.len() >= INDEXED_TEXT {
                break;
            }
            let in_file: bool = conn
                .prepare_cached("SELECT in_file FROM blob_chunks WHERE hash = ?1")?
                .query_row([hash.as_slice()], |r| r.get(0))?;
            reader.read(hash, in_file, &mut plain)?;
            let take = plain.len().min(INDEXED_TEXT - head.len());
            head.extend_from_slice(&plain[..take]);
        }
        Ok(StoredContent { sha256, size, chunks, head })
    }
}

/// Chunks in flight between the reading thread and the writing one: enough to keep both busy,
/// few enough that memory stays flat.
const IN_FLIGHT: usize = 3;

/// Streams `content` into content-addressed chunk files (see [`Chunks`]), one chunk row each,
/// inside the caller's transaction; empty content is refused. Reading and hashing run on this
/// thread while a second one encrypts, writes and fsyncs, so the two overlap. When it returns
/// `Ok`, every new file is durable under its name and the caller may commit.
pub(crate) fn store_content(conn: &Connection, files: &Chunks, content: &mut dyn Read) -> Result<StoredContent> {
    let (to_writer, jobs) = mpsc::sync_channel::<([u8; 32], Vec<u8>)>(IN_FLIGHT);
    let (give_back, spare) = mpsc::channel::<Vec<u8>>();
    let (stored, written) = thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<()> {
            let mut sealed = Vec::with_capacity(CHUNK_SIZE + chunks::OVERHEAD);
            for (hash, plain) in jobs {
                files.seal_into(&hash, &plain, &mut sealed)?;
                files.write_sealed(&hash, &sealed)?;
                let _ = give_back.send(plain);
            }
            Ok(())
        });
        let stored = read_into_chunks(conn, content, &to_writer, &spare);
        drop(to_writer);
        let written = writer.join().unwrap_or_else(|_| Err(Error::CorruptVault("the chunk writer stopped".into())));
        (stored, written)
    });
    // A writer's failure makes the reader's hand-off fail too; the writer's error is the cause.
    written?;
    let stored = stored?;
    files.sync()?;
    Ok(stored)
}

fn read_into_chunks(
    conn: &Connection,
    content: &mut dyn Read,
    to_writer: &mpsc::SyncSender<([u8; 32], Vec<u8>)>,
    spare: &mpsc::Receiver<Vec<u8>>,
) -> Result<StoredContent> {
    let mut whole = Sha256::new();
    let mut stored = StoredContent { sha256: String::new(), size: 0, chunks: Vec::new(), head: Vec::new() };
    let mut known = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM blob_chunks WHERE hash = ?1)")?;
    let mut put = conn.prepare_cached("INSERT INTO blob_chunks(hash, data, in_file, size) VALUES (?1, X'', 1, ?2)")?;
    let mut kept: Option<Vec<u8>> = None;
    loop {
        let mut buf = kept.take().or_else(|| spare.try_recv().ok()).unwrap_or_default();
        buf.resize(CHUNK_SIZE, 0);
        let n = read_full(content, &mut buf).map_err(Error::io("reading the evidence content"))?;
        if n == 0 {
            break;
        }
        buf.truncate(n);
        whole.update(&buf);
        let hash: [u8; 32] = Sha256::digest(&buf).into();
        if stored.head.len() < INDEXED_TEXT {
            let take = n.min(INDEXED_TEXT - stored.head.len());
            stored.head.extend_from_slice(&buf[..take]);
        }
        stored.chunks.push(hash);
        stored.size += n as u64;
        // A chunk the vault already holds (or this content held before) is not written again.
        if known.query_row([hash.as_slice()], |r| r.get::<_, bool>(0))? {
            kept = Some(buf);
            continue;
        }
        put.execute(params![hash.as_slice(), n as i64])?;
        if to_writer.send((hash, buf)).is_err() {
            return Err(Error::CorruptVault("the chunk writer stopped".into()));
        }
    }
    if stored.size == 0 {
        return Err(Error::invalid("the evidence is empty: there is nothing to keep"));
    }
    stored.sha256 = hex::encode(whole.finalize());
    Ok(stored)
}

/// Inserts the item row for stored content, with its text indexed when it is text.
pub(crate) fn insert_evidence(conn: &Connection, evidence: &Evidence, stored: &StoredContent) -> Result<()> {
    // Restricted content is never rendered without an audited click, so no search snippet may
    // show it: only its title and name are indexed.
    let text = if mime::is_text(&evidence.mime) && evidence.sensitivity != Sensitivity::Restricted {
        String::from_utf8_lossy(mime::trim_partial_utf8(&stored.head)).into_owned()
    } else {
        String::new()
    };
    let seq: i64 = conn.query_row(
        &format!(
            "INSERT INTO evidence({COLUMNS}, text_content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING seq"
        ),
        params![
            evidence.id,
            evidence.case_id,
            evidence.kind.as_str(),
            evidence.title,
            evidence.source_url,
            time::to_db(&evidence.captured_at),
            evidence.captured_by,
            evidence.sha256,
            evidence.size as i64,
            evidence.mime,
            evidence.original_name,
            evidence.sensitivity.as_str(),
            evidence
                .redaction
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| Error::invalid(e.to_string()))?,
            text
        ],
        |row| row.get(0),
    )?;
    let mut link =
        conn.prepare_cached("INSERT INTO evidence_chunks(evidence_seq, idx, chunk_hash) VALUES (?1, ?2, ?3)")?;
    for (idx, hash) in stored.chunks.iter().enumerate() {
        link.execute(params![seq, idx as i64, hash.as_slice()])?;
    }
    Ok(())
}

/// Streams an item's content to `out`, checking every chunk and the whole item's hash. A
/// second thread reads and decrypts the next chunks while this one hashes and writes.
pub(crate) fn write_content(conn: &Connection, files: &Chunks, evidence: &Evidence, out: &mut dyn Write) -> Result<()> {
    let id = &evidence.id;
    let list: Vec<(Vec<u8>, bool)> = conn
        .prepare_cached(
            "SELECT c.chunk_hash, b.in_file FROM evidence e
             JOIN evidence_chunks c ON c.evidence_seq = e.seq
             JOIN blob_chunks b ON b.hash = c.chunk_hash
             WHERE e.id = ?1 ORDER BY c.idx",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let in_files: Vec<&[u8]> = list.iter().filter(|(_, in_file)| *in_file).map(|(hash, _)| hash.as_slice()).collect();
    let named = |e: Error| match e {
        Error::CorruptVault(_) => {
            Error::CorruptVault(format!("a content chunk of evidence {id} is missing or altered"))
        }
        other => other,
    };
    let (decrypted, chunks_in) = mpsc::sync_channel::<Result<Vec<u8>>>(IN_FLIGHT);
    let (give_back, spare) = mpsc::channel::<Vec<u8>>();
    thread::scope(|scope| {
        scope.spawn(move || {
            let mut sealed = Vec::with_capacity(CHUNK_SIZE + chunks::OVERHEAD);
            for hash in in_files {
                let mut plain = spare.try_recv().unwrap_or_default();
                let read = files.read_into(hash, &mut sealed, &mut plain).map(|()| plain);
                let failed = read.is_err();
                if decrypted.send(read).is_err() || failed {
                    return;
                }
            }
        });
        let mut whole = Sha256::new();
        let mut size = 0u64;
        let mut inline = Vec::new();
        for (hash, in_file) in &list {
            let data = if *in_file {
                chunks_in.recv().map_err(|_| Error::CorruptVault("the chunk reader stopped".into()))?.map_err(named)?
            } else {
                ChunkReader::new(conn, files).read(hash, false, &mut inline)?;
                std::mem::take(&mut inline)
            };
            whole.update(&data);
            size += data.len() as u64;
            out.write_all(&data).map_err(Error::io("writing evidence content"))?;
            if *in_file {
                let _ = give_back.send(data);
            } else {
                inline = data;
            }
        }
        drop(chunks_in);
        if size != evidence.size || hex::encode(whole.finalize()) != evidence.sha256 {
            return Err(Error::CorruptVault(format!("evidence {id} does not match its recorded SHA-256")));
        }
        Ok(())
    })
}

/// Reads one chunk wherever it is kept: a chunk file, or (in a vault not yet migrated) inline in
/// the database, whose bytes are checked against their hash here.
pub(crate) struct ChunkReader<'a> {
    conn: &'a Connection,
    files: &'a Chunks,
    sealed: Vec<u8>,
}

impl<'a> ChunkReader<'a> {
    pub(crate) fn new(conn: &'a Connection, files: &'a Chunks) -> Self {
        ChunkReader { conn, files, sealed: Vec::new() }
    }

    pub(crate) fn read(&mut self, hash: &[u8], in_file: bool, plain: &mut Vec<u8>) -> Result<()> {
        if in_file {
            return self.files.read_into(hash, &mut self.sealed, plain);
        }
        let mut get = self.conn.prepare_cached("SELECT data FROM blob_chunks WHERE hash = ?1")?;
        let data: Vec<u8> = get.query_row([hash], |r| r.get(0))?;
        if Sha256::digest(&data).as_slice() != hash {
            return Err(Error::CorruptVault("a content chunk does not match its hash".into()));
        }
        *plain = data;
        Ok(())
    }
}
