//! Dropping pages from a PDF for a redacted copy. The copy is written anew from the objects the
//! kept pages need, reached from a fresh catalog that names only the page tree: no earlier
//! revision (incremental updates), no document information or XMP metadata, no outline,
//! named destinations, form fields, attachments, scripts or structure tree, any of which can
//! hold text from a dropped page. Encrypted PDFs are refused.

use lopdf::{Dictionary, Document, Object};

use crate::{Error, Result};

/// The PDF with `pages` (1-based) removed, and how many pages it keeps.
pub(super) fn drop_pages(bytes: &[u8], pages: &[u32]) -> Result<(Vec<u8>, usize)> {
    let not_pdf = || Error::invalid("the item is not a PDF this build can read");
    let mut doc = Document::load_mem(bytes).map_err(|_| not_pdf())?;
    if doc.is_encrypted() {
        return Err(Error::invalid("the PDF is encrypted: decrypt it before redacting"));
    }
    let total = doc.get_pages().len();
    if total == 0 {
        return Err(not_pdf());
    }
    let mut drop: Vec<u32> = pages.to_vec();
    drop.sort_unstable();
    drop.dedup();
    if drop.is_empty() {
        return Err(Error::invalid("name at least one page to drop"));
    }
    if let Some(&bad) = drop.iter().find(|&&p| p == 0 || p as usize > total) {
        return Err(Error::invalid(format!("page {bad} is not in the PDF, which has {total} pages")));
    }
    if drop.len() >= total {
        return Err(Error::invalid("dropping every page leaves nothing to keep"));
    }
    doc.delete_pages(&drop);

    let catalog = doc.catalog().map_err(|_| not_pdf())?;
    let page_tree = catalog.get(b"Pages").and_then(Object::as_reference).map_err(|_| not_pdf())?;
    let mut fresh = Dictionary::new();
    fresh.set("Type", Object::Name(b"Catalog".to_vec()));
    fresh.set("Pages", Object::Reference(page_tree));
    *doc.catalog_mut().map_err(|_| not_pdf())? = fresh;
    doc.trailer.remove(b"Info");
    doc.prune_objects();
    doc.renumber_objects();

    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|e| Error::invalid(format!("the redacted PDF could not be written: {e}")))?;
    let damaged =
        || Error::invalid("the PDF is damaged (its pages do not read back whole); repair it before redacting");
    let kept = Document::load_mem(&out).map_err(|_| damaged())?;
    let expected = total - drop.len();
    if kept.get_pages().len() != expected {
        return Err(damaged());
    }
    Ok((out, expected))
}
