//! The evidence locker: listing, adding a file by path (from the native dialog or a drop), the
//! audited export of an item, and the audited reveal of a restricted item. Previews are served by `crate::preview`.

use std::path::PathBuf;

use casebook_core::{
    model::{Evidence, EvidenceKind, Region, Sensitivity},
    store::{NewEvidence, RedactionSpec},
};
use serde::Deserialize;
use tauri::State;

use super::{Args, CaseRef};
use crate::{
    error::{CommandError, CommandResult},
    state::AppState,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    pub reference: String,
    pub path: PathBuf,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemArgs {
    pub reference: String,
    pub id: String,
}

#[tauri::command]
pub async fn evidence_list(state: State<'_, AppState>, args: Args<CaseRef>) -> CommandResult<Vec<Evidence>> {
    let args = args.parse()?;
    state.with_vault(|v| Ok(v.store().evidence(&args.reference)?))
}

#[tauri::command]
pub async fn evidence_add(state: State<'_, AppState>, args: Args<AddArgs>) -> CommandResult<Evidence> {
    let args = args.parse()?;
    if !args.path.is_absolute() {
        return Err(CommandError::invalid("the evidence path must be absolute"));
    }
    let kind = kind_for(&args.path);
    let new = NewEvidence {
        kind,
        title: args.title,
        source_url: None,
        original_name: String::new(),
        sensitivity: None,
        captured_at: None,
    };
    state.with_vault(|v| Ok(v.store().add_evidence_file(&args.reference, &args.path, &new)?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportArgs {
    pub reference: String,
    pub id: String,
    pub to: PathBuf,
}

/// A byte-identical copy of one item at `to` (from the save dialog), audited by core.
#[tauri::command]
pub async fn evidence_export(state: State<'_, AppState>, args: Args<ExportArgs>) -> CommandResult<Evidence> {
    let args = args.parse()?;
    if !args.to.is_absolute() {
        return Err(CommandError::invalid("the export path must be absolute"));
    }
    state.with_vault(|v| Ok(v.store().export_evidence(&args.reference, &args.id, &args.to)?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivityArgs {
    pub reference: String,
    pub id: String,
    pub sensitivity: Sensitivity,
    pub reason: String,
}

/// Raises or lowers an item's sensitivity, for a reason (audited as an access).
#[tauri::command]
pub async fn evidence_set_sensitivity(
    state: State<'_, AppState>,
    args: Args<SensitivityArgs>,
) -> CommandResult<Evidence> {
    let args = args.parse()?;
    state.with_vault(|v| {
        Ok(v.store().set_evidence_sensitivity(&args.reference, &args.id, args.sensitivity, &args.reason)?)
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactArgs {
    pub reference: String,
    pub id: String,
    #[serde(default)]
    pub regions: Vec<Region>,
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Pages to drop from a PDF (1-based).
    #[serde(default)]
    pub pages: Vec<u32>,
    pub reason: String,
}

/// A redacted copy of an item (regions of an image, phrases of a text, or pages of a PDF),
/// stored beside it.
#[tauri::command]
pub async fn evidence_redact(state: State<'_, AppState>, args: Args<RedactArgs>) -> CommandResult<Evidence> {
    let args = args.parse()?;
    let spec = match (args.regions.is_empty(), args.phrases.is_empty(), args.pages.is_empty()) {
        (false, true, true) => RedactionSpec::Regions(args.regions),
        (true, false, true) => RedactionSpec::Phrases(args.phrases),
        (true, true, false) => RedactionSpec::Pages(args.pages),
        _ => {
            return Err(CommandError::invalid(
                "give one of: regions of an image, phrases of a text, or pages of a PDF",
            ));
        }
    };
    state.with_vault(|v| Ok(v.store().redact_evidence(&args.reference, &args.id, &spec, &args.reason)?))
}

#[tauri::command]
pub async fn evidence_reveal(state: State<'_, AppState>, args: Args<ItemArgs>) -> CommandResult<()> {
    let args = args.parse()?;
    let item = state.with_vault(|v| Ok(v.store().reveal_evidence(&args.reference, &args.id)?))?;
    state.reveal(&item.id);
    Ok(())
}

/// Files picked or dropped are screenshots when they are images, otherwise plain files; the
/// investigator can tell them apart in the title.
fn kind_for(path: &std::path::Path) -> EvidenceKind {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png" | "jpg" | "jpeg" | "gif" | "webp") => EvidenceKind::Screenshot,
        Some("eml") => EvidenceKind::Email,
        _ => EvidenceKind::File,
    }
}
