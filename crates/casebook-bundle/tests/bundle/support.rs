use casebook_bundle::{
    BlobRef, BundleError, BundleKind, Manifest, PublicIdentity, SealRequest, SecretIdentity, Sink, open, seal,
};
use sha2::{Digest, Sha256};
use std::{fs::File, io::Read, path::Path};

pub struct People {
    pub author: SecretIdentity,
    pub reviewers: Vec<SecretIdentity>,
    pub outsider: SecretIdentity,
}

pub fn people() -> People {
    People {
        author: SecretIdentity::generate("Investigator"),
        reviewers: vec![SecretIdentity::generate("Reviewer A"), SecretIdentity::generate("Reviewer B")],
        outsider: SecretIdentity::generate("Outsider"),
    }
}

pub fn blob_ref(id: &str, bytes: &[u8]) -> BlobRef {
    BlobRef { id: id.into(), size: bytes.len() as u64, sha256: hex::encode(Sha256::digest(bytes)) }
}

/// Seals `blobs` from `people.author` to the reviewers into `path`.
pub fn seal_to(path: &Path, people: &People, blobs: &[Vec<u8>], sequence: u64) {
    let refs: Vec<BlobRef> = blobs.iter().enumerate().map(|(i, b)| blob_ref(&format!("blob-{i}"), b)).collect();
    let recipients: Vec<PublicIdentity> = people.reviewers.iter().map(SecretIdentity::public).collect();
    let request = SealRequest {
        bundle_id: format!("bundle-{sequence}"),
        case_id: "case-1".into(),
        sequence,
        kind: BundleKind::Submission,
        created_at: "2026-11-24T12:00:00Z".into(),
        author: &people.author,
        recipients: &recipients,
        blobs: refs,
        content: serde_json::json!({"case": {"title": "a case"}, "events": [1, 2, 3]}),
    };
    let mut file = File::create(path).expect("create bundle");
    seal::<BundleError>(
        &mut file,
        request,
        &mut |blob, out| {
            let i: usize = blob.id.trim_start_matches("blob-").parse().expect("index");
            std::io::Write::write_all(out, &blobs[i]).map_err(|e| BundleError::Invalid(e.to_string()))
        },
        &mut |_, _| {},
    )
    .expect("seal");
}

/// Keeps what it is given.
#[derive(Default)]
pub struct Collect {
    pub manifest: Option<Manifest>,
    pub blobs: Vec<Vec<u8>>,
}

impl Sink for Collect {
    type Error = BundleError;
    fn manifest(&mut self, manifest: &Manifest) -> Result<(), BundleError> {
        self.manifest = Some(manifest.clone());
        Ok(())
    }
    fn blob(&mut self, _: &BlobRef, content: &mut dyn Read) -> Result<(), BundleError> {
        let mut bytes = Vec::new();
        content.read_to_end(&mut bytes).map_err(|e| BundleError::Invalid(e.to_string()))?;
        self.blobs.push(bytes);
        Ok(())
    }
}

/// Opens `path` as `me`, trusting only `author`.
pub fn open_as(path: &Path, me: &SecretIdentity, author: &SecretIdentity) -> Result<Collect, BundleError> {
    let trusted = author.public();
    let mut sink = Collect::default();
    let mut file = File::open(path).expect("open bundle file");
    open(&mut file, me, &|fp: &str| (fp == trusted.fingerprint()).then(|| trusted.clone()), &mut sink)?;
    Ok(sink)
}

pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15 ^ seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}
