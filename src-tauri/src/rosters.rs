//! Rosters from the jail's system: a file picked in the system's dialog, read for the mapping
//! screen, previewed and applied; the facility's people saved as a roster file. The picked file
//! stays here, in the shell, so the screens can only ever read the file the person chose.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::model::FacilityId;
use bridger::roster::{Decisions, Mapping};
use bridger::store::{RosterApplied, RosterPreview, RosterRequest, RosterSheet, RosterSource};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::State;

/// The roster file picked last, with the account that picked it: another account signed in at
/// this window later must pick its own.
static PICKED: Mutex<Option<(String, PathBuf)>> = Mutex::new(None);

fn picked(store: &bridger::Store) -> bridger::Result<PathBuf> {
    let user = store.session()?.username().to_string();
    PICKED
        .lock()
        .ok()
        .and_then(|p| p.clone())
        .filter(|(by, _)| *by == user)
        .map(|(_, path)| path)
        .ok_or_else(|| bridger::Error::field("file", bridger::error::Said { en: "choose the roster file first".into(), es: "elija primero el archivo de la lista".into() }))
}

#[tauri::command]
#[specta::specta]
pub async fn roster_sources(state: State<'_, AppState>, facility_id: String) -> Reply<Vec<RosterSource>> {
    with_store(state, move |s, _| s.roster_sources(facility_id.parse::<FacilityId>()?)).await
}

/// Asks for the roster file and reads it for the mapping screen; `None` when the person cancels.
/// Refused before the dialog opens to whoever may not import rosters there.
#[tauri::command]
#[specta::specta]
pub async fn roster_pick(app: tauri::AppHandle, state: State<'_, AppState>, facility_id: String, source: String) -> Reply<Option<RosterSheet>> {
    let facility_id = facility_id.parse::<FacilityId>()?;
    with_store(state.clone(), move |s, _| s.roster_sources(facility_id)).await?;
    let chosen = blocking(move || Ok(files::open(&app, "Open the roster from the jail's system"))).await?;
    let Some(path) = chosen else { return Ok(None) };
    with_store(state, move |s, ctx| {
        let sheet = s.read_roster(&RosterRequest { facility: facility_id, source: &source, path: &path, mapping: None }, ctx.today)?;
        // Kept only once it reads as a roster, for the account that chose it.
        if let Ok(mut p) = PICKED.lock() {
            *p = Some((s.session()?.username().to_string(), path));
        }
        Ok(Some(sheet))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn roster_preview(state: State<'_, AppState>, facility_id: String, source: String, mapping: Option<Mapping>) -> Reply<RosterPreview> {
    with_store(state, move |s, ctx| {
        let path = picked(s)?;
        s.preview_roster(ctx, &RosterRequest { facility: facility_id.parse()?, source: &source, path: &path, mapping: mapping.as_ref() })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn roster_apply(state: State<'_, AppState>, facility_id: String, source: String, mapping: Option<Mapping>, plan: String, decisions: Decisions) -> Reply<RosterApplied> {
    with_store(state, move |s, ctx| {
        let path = picked(s)?;
        s.apply_roster(ctx, &RosterRequest { facility: facility_id.parse()?, source: &source, path: &path, mapping: mapping.as_ref() }, &plan, &decisions)
    })
    .await
}

/// Saves the facility's people in custody as a roster file where the person chooses; `None`
/// when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn roster_export(app: tauri::AppHandle, state: State<'_, AppState>, facility_id: String) -> Reply<Option<String>> {
    let facility_id = facility_id.parse::<FacilityId>()?;
    let name = with_store(state.clone(), move |s, ctx| s.roster_file_name(facility_id, ctx.today)).await?;
    let chosen = blocking(move || Ok(files::save(&app, "Save the roster", name, Some(("CSV", &["csv"]))))).await?;
    let Some(path) = chosen else { return Ok(None) };
    with_store(state, move |s, ctx| s.export_roster(ctx, facility_id, &path).map(|_| Some(path.display().to_string()))).await
}
