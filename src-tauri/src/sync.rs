//! Sync commands: this site's card and the sites it trusts, bundles, receipts and conflicts.
//! Files are only read or written where the person chose in the system's dialog, and every
//! refusal that can be known beforehand is given before the dialog opens.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::auth::Password;
use bridger::model::SiteId;
use bridger::store::{check_passphrase, Conflict, ExportSummary, ImportSummary, Keep, Peer, PeerKind, ReceiptRead};
use bridger::sync::SiteCard;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn site_card(state: State<'_, AppState>) -> Reply<SiteCard> {
    with_store(state, |s, ctx| s.site_card(ctx)).await
}

/// Saves this site's card where the person chooses; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn site_card_save(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    let card = with_store(state.clone(), |s, ctx| s.site_card(ctx)).await?;
    let name = format!("{}.bridger-card", card.name.replace(|c: char| !c.is_alphanumeric(), "-"));
    let picked = blocking(move || Ok(files::save(&app, "Save this site's card", name, None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.save_site_card(ctx, &path).map(|_| Some(path.display().to_string()))).await
}

/// Reads another site's card from a file the person picks; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn peer_card_open(app: tauri::AppHandle) -> Reply<Option<SiteCard>> {
    blocking(move || {
        let Some(path) = files::open(&app, "Open a site's card") else { return Ok(None) };
        SiteCard::read(&path).map(Some)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn peers_list(state: State<'_, AppState>) -> Reply<Vec<Peer>> {
    with_store(state, |s, _| s.peers()).await
}

#[tauri::command]
#[specta::specta]
pub async fn peer_trust(state: State<'_, AppState>, card: SiteCard, heard: String, kind: PeerKind) -> Reply<Peer> {
    with_store(state, move |s, ctx| s.trust_peer(ctx, &card, &heard, kind)).await
}

#[tauri::command]
#[specta::specta]
pub async fn peer_remove(state: State<'_, AppState>, site_id: String) -> Reply<()> {
    with_store(state, move |s, ctx| s.remove_peer(ctx, site_id.parse::<SiteId>()?)).await
}

/// Exports for a trusted program site, locked with its key or, for a one-off transfer, with a
/// passphrase. Refused before the dialog opens when it cannot happen.
#[tauri::command]
#[specta::specta]
pub async fn bundle_export(app: tauri::AppHandle, state: State<'_, AppState>, peer_id: String, full: bool, passphrase: Option<Password>) -> Reply<Option<ExportSummary>> {
    let peer = peer_id.parse::<SiteId>()?;
    if let Some(p) = &passphrase {
        check_passphrase(p.as_str())?;
    }
    with_store(state.clone(), move |s, _| s.check_export(peer)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Export changes to a file", files::dated("changes", "bundle"), None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| {
        match &passphrase {
            Some(p) => s.export_bundle_with_passphrase(ctx, peer, p.as_str(), &path),
            None => s.export_bundle(ctx, peer, full, &path),
        }
        .map(Some)
    })
    .await
}

/// Imports a bundle the person picks; `passphrase` only for one locked with a passphrase.
#[tauri::command]
#[specta::specta]
pub async fn bundle_import(app: tauri::AppHandle, state: State<'_, AppState>, passphrase: Option<Password>) -> Reply<Option<ImportSummary>> {
    let picked = blocking(move || Ok(files::open(&app, "Import a bundle"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.import_bundle(ctx, &path, passphrase.as_ref().map(Password::as_str)).map(Some)).await
}

#[tauri::command]
#[specta::specta]
pub async fn receipt_save(app: tauri::AppHandle, state: State<'_, AppState>, sender: String) -> Reply<Option<String>> {
    let sender = sender.parse::<SiteId>()?;
    let picked = blocking(move || Ok(files::save(&app, "Save a receipt for the sender", files::dated("receipt", "bridger-receipt"), None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.write_receipt(ctx, sender, &path).map(|()| Some(path.display().to_string()))).await
}

#[tauri::command]
#[specta::specta]
pub async fn receipt_import(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<ReceiptRead>> {
    let picked = blocking(move || Ok(files::open(&app, "Read a receipt"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.import_receipt(ctx, &path).map(Some)).await
}

#[tauri::command]
#[specta::specta]
pub async fn conflicts_list(state: State<'_, AppState>) -> Reply<Vec<Conflict>> {
    with_store(state, |s, _| s.conflicts()).await
}

#[tauri::command]
#[specta::specta]
pub async fn conflict_resolve(state: State<'_, AppState>, id: i64, keep: Keep) -> Reply<()> {
    with_store(state, move |s, ctx| s.resolve_conflict(ctx, id, keep)).await
}
