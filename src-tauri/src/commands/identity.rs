//! This vault's public identity and its contacts. Secret keys never cross into the UI.

use casebook_core::identity::Contact;
use serde::Serialize;
use tauri::State;

use super::NoArgs;
use crate::{error::CommandResult, state::AppState};

#[derive(Debug, Serialize)]
pub struct Identity {
    pub name: String,
    pub fingerprint: String,
    pub signing_key: String,
    pub encryption_key: String,
}

#[tauri::command]
pub async fn identity_get(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<Identity> {
    let _ = args;
    state.with_vault(|v| {
        let identity = v.store().identity()?;
        let public = identity.public();
        Ok(Identity {
            fingerprint: identity.fingerprint(),
            name: public.name,
            signing_key: public.signing_key,
            encryption_key: public.recipient,
        })
    })
}

#[tauri::command]
pub async fn contact_list(state: State<'_, AppState>, args: Option<NoArgs>) -> CommandResult<Vec<Contact>> {
    let _ = args;
    state.with_vault(|v| Ok(v.store().contacts()?))
}
