//! Sealing: manifest and blobs are streamed through age into the file after a reserved header;
//! the envelope, which needs the ciphertext's length and hash, is written into that space last.

use std::{
    fs::File,
    io::{BufWriter, Seek, SeekFrom, Write},
};

use crate::{
    BundleError,
    envelope::{BundleKind, Envelope, HEADER_LEN, Header, MAX_RECIPIENTS},
    keys::{PublicIdentity, SecretIdentity},
    manifest::{self, BlobRef, MAX_BLOBS, MAX_MANIFEST, Manifest},
    tally::{Tally, TallyWriter},
};

pub struct SealRequest<'a> {
    pub bundle_id: String,
    pub case_id: String,
    pub sequence: u64,
    pub kind: BundleKind,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub author: &'a SecretIdentity,
    /// Who may open it besides the author (the author is always added).
    pub recipients: &'a [PublicIdentity],
    pub blobs: Vec<BlobRef>,
    pub content: serde_json::Value,
}

/// Writes a sealed bundle into `out` (truncated first). `write_blob` streams each blob's bytes;
/// they are checked against the blob's declared size and hash. `progress` hears
/// (bytes of blobs written, total).
pub fn seal<E: From<BundleError>>(
    out: &mut File,
    request: SealRequest<'_>,
    write_blob: &mut dyn FnMut(&BlobRef, &mut dyn Write) -> Result<(), E>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Envelope, E> {
    let author_fp = request.author.fingerprint();
    let mut recipients = vec![request.author.public()];
    for r in request.recipients {
        if !recipients.iter().any(|known| known.fingerprint() == r.fingerprint()) {
            recipients.push(r.clone());
        }
    }
    if recipients.len() > MAX_RECIPIENTS {
        return Err(BundleError::TooLarge(format!("{} recipients exceeds {MAX_RECIPIENTS}", recipients.len())).into());
    }
    if request.blobs.len() > MAX_BLOBS {
        return Err(BundleError::TooLarge(format!("{} blobs exceeds {MAX_BLOBS}", request.blobs.len())).into());
    }
    let age_recipients = recipients.iter().map(PublicIdentity::age_recipient).collect::<Result<Vec<_>, _>>()?;
    let fingerprints: Vec<String> = recipients.iter().map(PublicIdentity::fingerprint).collect();
    let total: u64 = request.blobs.iter().map(|b| b.size).sum();
    let manifest = Manifest {
        bundle_id: request.bundle_id.clone(),
        case_id: request.case_id.clone(),
        sequence: request.sequence,
        kind: request.kind,
        author: author_fp.clone(),
        recipients: fingerprints.clone(),
        created_at: request.created_at.clone(),
        blobs: request.blobs,
        content: request.content,
    };
    let manifest_json = serde_json::to_vec(&manifest).map_err(|e| BundleError::Invalid(e.to_string()))?;
    if manifest_json.len() > MAX_MANIFEST {
        return Err(
            BundleError::TooLarge(format!("manifest of {} bytes exceeds {MAX_MANIFEST}", manifest_json.len())).into()
        );
    }
    let manifest_sig = request.author.sign(manifest::DOMAIN, &manifest_json);

    let io = |context| BundleError::io(context);
    out.set_len(0).map_err(io("truncating the output"))?;
    out.write_all(&vec![0u8; HEADER_LEN as usize]).map_err(io("reserving the header"))?;
    let mut ciphertext = Tally::default();
    {
        let sink = TallyWriter { inner: BufWriter::with_capacity(1 << 20, &mut *out), tally: &mut ciphertext };
        let encryptor = age::Encryptor::with_recipients(age_recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|_| BundleError::Invalid("no usable recipients".into()))?;
        let mut payload = encryptor.wrap_output(sink).map_err(io("starting encryption"))?;
        payload.write_all(&(manifest_json.len() as u32).to_be_bytes()).map_err(io("writing the payload"))?;
        payload.write_all(&manifest_json).map_err(io("writing the payload"))?;
        payload.write_all(&manifest_sig).map_err(io("writing the payload"))?;
        drop(manifest_json);
        let mut done = 0u64;
        for blob in &manifest.blobs {
            let mut tally = Tally::default();
            write_blob(blob, &mut TallyWriter { inner: &mut payload, tally: &mut tally })?;
            done += tally.count;
            if tally.count != blob.size || tally.hex() != blob.sha256 {
                return Err(BundleError::Invalid(format!("blob {} changed while it was being sealed", blob.id)).into());
            }
            progress(done, total);
        }
        let sink = payload.finish().map_err(io("finishing encryption"))?;
        sink.inner.into_inner().map_err(|e| BundleError::io("flushing the bundle")(e.into_error()))?;
    }
    let envelope = Envelope {
        bundle_id: request.bundle_id,
        case_id: request.case_id,
        sequence: request.sequence,
        kind: request.kind,
        author: author_fp,
        recipients: fingerprints,
        created_at: request.created_at,
        ciphertext_len: ciphertext.count,
        ciphertext_sha256: ciphertext.hex(),
    };
    let header = Header::encode(&envelope, |domain, message| request.author.sign(domain, message))?;
    out.seek(SeekFrom::Start(0)).map_err(io("writing the header"))?;
    out.write_all(&header).map_err(io("writing the header"))?;
    out.sync_all().map_err(io("syncing the bundle"))?;
    Ok(envelope)
}
