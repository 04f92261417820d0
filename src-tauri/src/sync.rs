//! Sync commands: this site's card and the sites it trusts. Files are only read or written
//! where the person chose in the system's dialog.

use crate::commands::{blocking, ctx, report, with_store, Reply};
use crate::AppState;
use bridger::model::SiteId;
use bridger::store::{Conflict, ExportSummary, ImportSummary, Keep, Peer};
use bridger::sync::SiteCard;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

#[tauri::command]
pub async fn site_card(state: State<'_, AppState>) -> Reply<SiteCard> {
    with_store(state, |s| s.site_card(&ctx())).await
}

/// Saves this site's card where the person chooses; `None` when they cancel.
#[tauri::command]
pub async fn site_card_save(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    let card = with_store(state, |s| s.site_card(&ctx())).await?;
    let name = format!("{}.bridger-card", card.name.replace(|c: char| !c.is_alphanumeric(), "-"));
    blocking(move || {
        let Some(path) = save_path(&app, "Save this site's card", name) else { return Ok(None) };
        std::fs::write(&path, card.to_json()).map_err(|source| bridger::Error::Io { context: format!("cannot write {}", path.display()), source })?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Reads another site's card from a file the person picks; `None` when they cancel.
#[tauri::command]
pub async fn peer_card_open(app: tauri::AppHandle) -> Reply<Option<SiteCard>> {
    blocking(move || {
        let Some(path) = open_path(&app, "Open a site's card") else { return Ok(None) };
        SiteCard::parse(&String::from_utf8_lossy(&read(&path)?)).map(Some)
    })
    .await
}

#[tauri::command]
pub async fn peers_list(state: State<'_, AppState>) -> Reply<Vec<Peer>> {
    with_store(state, |s| s.peers()).await
}

#[tauri::command]
pub async fn peer_trust(state: State<'_, AppState>, card: SiteCard, heard: String) -> Reply<Peer> {
    with_store(state, move |s| s.trust_peer(&ctx(), &card, &heard)).await
}

/// Picks where to save with the system's dialog; `None` when the person cancels.
fn save_path(app: &tauri::AppHandle, title: &str, name: String) -> Option<std::path::PathBuf> {
    app.dialog().file().set_title(title).set_file_name(name).blocking_save_file().and_then(|p| p.into_path().ok())
}

fn open_path(app: &tauri::AppHandle, title: &str) -> Option<std::path::PathBuf> {
    app.dialog().file().set_title(title).blocking_pick_file().and_then(|p| p.into_path().ok())
}

fn read(path: &std::path::Path) -> bridger::Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| bridger::Error::Io { context: format!("cannot read {}", path.display()), source })
}

#[tauri::command]
pub async fn bundle_export(app: tauri::AppHandle, state: State<'_, AppState>, peer_id: String, full: bool) -> Reply<Option<ExportSummary>> {
    let peer: SiteId = peer_id.parse().map_err(report)?;
    let picked = blocking(move || Ok(save_path(&app, "Export changes to a file", "changes.bundle".into()))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| s.export_bundle(&ctx(), peer, full, &path).map(Some)).await
}

#[tauri::command]
pub async fn bundle_import(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<ImportSummary>> {
    let picked = blocking(move || Ok(open_path(&app, "Import a bundle"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| {
        let bytes = read(&path)?;
        s.import_bundle(&ctx(), &bytes, None).map(Some)
    })
    .await
}

#[tauri::command]
pub async fn receipt_save(app: tauri::AppHandle, state: State<'_, AppState>, sender: String) -> Reply<Option<String>> {
    let sender: SiteId = sender.parse().map_err(report)?;
    let picked = blocking(move || Ok(save_path(&app, "Save a receipt for the sender", "receipt.bridger-receipt".into()))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| s.write_receipt(&ctx(), sender, &path).map(|()| Some(path.display().to_string()))).await
}

#[tauri::command]
pub async fn receipt_import(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    let picked = blocking(move || Ok(open_path(&app, "Read a receipt"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| {
        let bytes = read(&path)?;
        s.import_receipt(&ctx(), &bytes).map(Some)
    })
    .await
}

#[tauri::command]
pub async fn conflicts_list(state: State<'_, AppState>) -> Reply<Vec<Conflict>> {
    with_store(state, |s| s.conflicts()).await
}

#[tauri::command]
pub async fn conflict_resolve(state: State<'_, AppState>, id: i64, keep: Keep) -> Reply<()> {
    with_store(state, move |s| s.resolve_conflict(&ctx(), id, keep)).await
}
