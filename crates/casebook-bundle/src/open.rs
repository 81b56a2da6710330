//! Opening: envelope signature → recipient check → bounded age header → streaming decryption
//! with every hash checked → manifest signature. Nothing reaches the caller's [`Sink`] before
//! the envelope verifies, and the caller must treat everything it received as provisional until
//! `open` returns `Ok` (casebook-core keeps it in an uncommitted transaction).

use std::io::{self, BufReader, ErrorKind, Read, Seek, SeekFrom};

use crate::{
    BundleError,
    envelope::{Envelope, HEADER_LEN, Header, MAX_RECIPIENTS},
    keys::{PublicIdentity, SecretIdentity},
    manifest::{self, BlobRef, MAX_MANIFEST, Manifest},
    tally::{Tally, TallyReader},
};

/// The largest age header accepted; more stanzas than recipients allowed is refused too.
const MAX_AGE_HEADER: usize = 64 * 1024;

/// Receives a bundle's contents as they are decrypted and checked.
pub trait Sink {
    type Error: From<BundleError>;
    /// Called once, after the manifest's signature and its match with the envelope are checked.
    fn manifest(&mut self, manifest: &Manifest) -> Result<(), Self::Error>;
    /// Called for each blob in manifest order. The bundle checks the size and hash after this
    /// returns, reading whatever the sink left unread.
    fn blob(&mut self, blob: &BlobRef, content: &mut dyn Read) -> Result<(), Self::Error>;
}

/// A sink that keeps nothing: `open` with it verifies a bundle end to end.
pub struct Discard;

impl Sink for Discard {
    type Error = BundleError;
    fn manifest(&mut self, _: &Manifest) -> Result<(), BundleError> {
        Ok(())
    }
    fn blob(&mut self, _: &BlobRef, _: &mut dyn Read) -> Result<(), BundleError> {
        Ok(())
    }
}

/// Reads only the envelope, unverified: check it with [`Header::verify`] and
/// [`Header::check_length`] before trusting a field.
pub fn inspect<F: Read + Seek>(file: &mut F) -> Result<Header, BundleError> {
    let len = file.seek(SeekFrom::End(0)).map_err(BundleError::io("reading the bundle's size"))?;
    file.seek(SeekFrom::Start(0)).map_err(BundleError::io("reading the bundle"))?;
    Header::read(&mut BufReader::new(&mut *file), len)
}

/// Opens a bundle as `me`, trusting the authors that `trusted` returns by fingerprint.
pub fn open<S: Sink, F: Read + Seek>(
    file: &mut F,
    me: &SecretIdentity,
    trusted: &dyn Fn(&str) -> Option<PublicIdentity>,
    sink: &mut S,
) -> Result<Envelope, S::Error> {
    let header = inspect(file)?;
    let envelope = header.envelope.clone();
    let author = trusted(&envelope.author).ok_or_else(|| BundleError::UnknownSigner(envelope.author.clone()))?;
    header.verify(&author)?;
    header.check_length()?;
    let my_fp = me.fingerprint();
    if !envelope.recipients.contains(&my_fp) {
        return Err(BundleError::NotARecipient(my_fp).into());
    }
    check_age_header(file, envelope.ciphertext_len)?;

    let mut ciphertext = Tally::default();
    {
        file.seek(SeekFrom::Start(HEADER_LEN)).map_err(BundleError::io("reading the bundle"))?;
        let source = TallyReader { inner: (&mut *file).take(envelope.ciphertext_len), tally: &mut ciphertext };
        let decryptor = age::Decryptor::new_buffered(BufReader::with_capacity(1 << 20, source))
            .map_err(|_| BundleError::tampered("the age header is malformed"))?;
        let mut payload = match decryptor.decrypt(std::iter::once(me.age_identity() as &dyn age::Identity)) {
            Ok(reader) => reader,
            Err(age::DecryptError::NoMatchingKeys) => {
                // Named in the signed envelope but not in the age header: either the header was
                // altered after signing, or the author sealed it without us.
                return Err(if ciphertext_intact(file, &envelope)? {
                    BundleError::NotARecipient(my_fp)
                } else {
                    BundleError::tampered("the age header does not match the signed envelope")
                }
                .into());
            }
            Err(_) => return Err(BundleError::tampered("the age header failed to decrypt").into()),
        };
        let manifest = read_manifest(&mut payload, &author, &envelope)?;
        sink.manifest(&manifest)?;
        for blob in &manifest.blobs {
            let mut tally = Tally::default();
            let mut failure = None;
            let mut content = Watched {
                inner: TallyReader { inner: (&mut payload).take(blob.size), tally: &mut tally },
                failure: &mut failure,
            };
            let delivered = sink.blob(blob, &mut content);
            let drained = io::copy(&mut content, &mut io::sink());
            // A payload that failed authentication under the sink is the cause, whatever the
            // sink made of it.
            if let Some(cause) = failure {
                return Err(cause.into());
            }
            delivered?;
            drained.map_err(payload_error)?;
            if tally.count != blob.size {
                return Err(BundleError::Truncated(format!("blob {} ends early", blob.id)).into());
            }
            if tally.hex() != blob.sha256 {
                return Err(BundleError::tampered(format!("blob {} does not match its SHA-256", blob.id)).into());
            }
        }
        // Reading to the end authenticates the final chunk and proves nothing follows.
        let mut extra = [0u8; 1];
        if payload.read(&mut extra).map_err(payload_error)? != 0 {
            return Err(BundleError::tampered("data follows the last blob").into());
        }
    }
    if ciphertext.count != envelope.ciphertext_len || ciphertext.hex() != envelope.ciphertext_sha256 {
        return Err(BundleError::tampered("the ciphertext does not match the signed envelope").into());
    }
    Ok(envelope)
}

fn read_manifest(
    payload: &mut impl Read,
    author: &PublicIdentity,
    envelope: &Envelope,
) -> Result<Manifest, BundleError> {
    let mut len = [0u8; 4];
    payload.read_exact(&mut len).map_err(payload_error)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_MANIFEST {
        return Err(BundleError::TooLarge(format!("manifest of {len} bytes exceeds {MAX_MANIFEST}")));
    }
    let mut json = Vec::new();
    payload.take(len as u64).read_to_end(&mut json).map_err(payload_error)?;
    if json.len() != len {
        return Err(BundleError::Truncated("the payload ends inside the manifest".into()));
    }
    let mut signature = [0u8; 64];
    payload.read_exact(&mut signature).map_err(payload_error)?;
    if !author.verifies(manifest::DOMAIN, &json, &signature) {
        return Err(BundleError::BadSignature("manifest"));
    }
    let manifest: Manifest = crate::json::parse(&json)
        .map_err(|_| BundleError::tampered("the manifest is not valid JSON or not a manifest"))?;
    if !manifest.matches(envelope) {
        return Err(BundleError::tampered("the manifest does not belong to this envelope"));
    }
    manifest.check_blobs()?;
    Ok(manifest)
}

/// Hands decrypted bytes to a sink while remembering why the payload failed, if it does.
struct Watched<'f, R> {
    inner: R,
    failure: &'f mut Option<BundleError>,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if self.failure.is_none() {
                *self.failure = Some(payload_error(io::Error::new(e.kind(), "payload")));
            }
        })
    }
}

fn payload_error(e: io::Error) -> BundleError {
    match e.kind() {
        ErrorKind::UnexpectedEof => BundleError::Truncated("the payload ends early".into()),
        ErrorKind::InvalidData => BundleError::tampered("a payload chunk failed authentication"),
        _ => BundleError::Io { context: "decrypting the payload", source: e },
    }
}

/// Refuses an age header that is oversized or names more stanzas than recipients are allowed,
/// before the age parser sees it.
fn check_age_header<F: Read + Seek>(file: &mut F, ciphertext_len: u64) -> Result<(), BundleError> {
    file.seek(SeekFrom::Start(HEADER_LEN)).map_err(BundleError::io("reading the bundle"))?;
    let mut head = Vec::new();
    (&mut *file)
        .take(ciphertext_len.min(MAX_AGE_HEADER as u64))
        .read_to_end(&mut head)
        .map_err(BundleError::io("reading the bundle"))?;
    if !head.starts_with(b"age-encryption.org/v1\n") {
        return Err(BundleError::tampered("the payload is not an age file"));
    }
    let end = head.windows(5).position(|w| w == b"\n--- ");
    let stanzas_in = |bytes: &[u8]| bytes.split(|&b| b == b'\n').filter(|line| line.starts_with(b"-> ")).count();
    let stanzas = stanzas_in(&head[..end.unwrap_or(head.len())]);
    if stanzas > MAX_RECIPIENTS + 4 {
        return Err(BundleError::TooLarge(format!("{stanzas} or more age recipient stanzas")));
    }
    // Within the limit a legitimate header ends long before MAX_AGE_HEADER, so a missing end
    // means the header was damaged.
    match end {
        Some(_) => Ok(()),
        None => Err(BundleError::tampered("the age header has no end")),
    }
}

/// Whether the ciphertext on disk still hashes to what the envelope signed.
fn ciphertext_intact<F: Read + Seek>(file: &mut F, envelope: &Envelope) -> Result<bool, BundleError> {
    file.seek(SeekFrom::Start(HEADER_LEN)).map_err(BundleError::io("reading the bundle"))?;
    let mut tally = Tally::default();
    io::copy(
        &mut TallyReader { inner: (&mut *file).take(envelope.ciphertext_len), tally: &mut tally },
        &mut io::sink(),
    )
    .map_err(BundleError::io("reading the bundle"))?;
    Ok(tally.hex() == envelope.ciphertext_sha256)
}
