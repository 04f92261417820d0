//! Sync commands: this site's card and the sites it trusts. Files are only read or written
//! where the person chose in the system's dialog.

use crate::commands::{blocking, ctx, report, with_store, Reply};
use crate::files;
use crate::AppState;
use bridger::model::SiteId;
use bridger::store::{check_passphrase, Conflict, ExportSummary, ImportSummary, Keep, Peer};
use bridger::sync::SiteCard;
use tauri::State;

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
        let Some(path) = files::save(&app, "Save this site's card", name, None) else { return Ok(None) };
        std::fs::write(&path, card.to_json()).map_err(|source| bridger::Error::Io { context: format!("cannot write {}", path.display()), source })?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Reads another site's card from a file the person picks; `None` when they cancel.
#[tauri::command]
pub async fn peer_card_open(app: tauri::AppHandle) -> Reply<Option<SiteCard>> {
    blocking(move || {
        let Some(path) = files::open(&app, "Open a site's card") else { return Ok(None) };
        SiteCard::parse(&String::from_utf8_lossy(&files::read(&path)?)).map(Some)
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

/// Exports for a trusted site, or, with a passphrase, everything for a one-off transfer.
#[tauri::command]
pub async fn bundle_export(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    peer_id: Option<String>,
    full: bool,
    passphrase: Option<String>,
) -> Reply<Option<ExportSummary>> {
    let lock = match (passphrase, peer_id) {
        (Some(passphrase), _) => {
            check_passphrase(&passphrase).map_err(report)?;
            Lock::Passphrase(passphrase)
        }
        (None, Some(peer)) => Lock::Peer(peer.parse().map_err(report)?),
        (None, None) => return Err(report(bridger::Error::field("send-to", "choose the site the bundle is for"))),
    };
    let picked = blocking(move || Ok(files::save(&app, "Export changes to a file", "changes.bundle".into(), None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| {
        match lock {
            Lock::Peer(peer) => s.export_bundle(&ctx(), peer, full, &path),
            Lock::Passphrase(passphrase) => s.export_bundle_with_passphrase(&ctx(), &passphrase, &path),
        }
        .map(Some)
    })
    .await
}

enum Lock {
    Peer(SiteId),
    Passphrase(String),
}

/// Imports a bundle the person picks; `passphrase` only for one locked with a passphrase.
#[tauri::command]
pub async fn bundle_import(app: tauri::AppHandle, state: State<'_, AppState>, passphrase: Option<String>) -> Reply<Option<ImportSummary>> {
    let picked = blocking(move || Ok(files::open(&app, "Import a bundle"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| {
        let bytes = files::read(&path)?;
        s.import_bundle(&ctx(), &bytes, passphrase.as_deref()).map(Some)
    })
    .await
}

#[tauri::command]
pub async fn receipt_save(app: tauri::AppHandle, state: State<'_, AppState>, sender: String) -> Reply<Option<String>> {
    let sender: SiteId = sender.parse().map_err(report)?;
    let picked = blocking(move || Ok(files::save(&app, "Save a receipt for the sender", "receipt.bridger-receipt".into(), None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| s.write_receipt(&ctx(), sender, &path).map(|()| Some(path.display().to_string()))).await
}

#[tauri::command]
pub async fn receipt_import(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    let picked = blocking(move || Ok(files::open(&app, "Read a receipt"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| {
        let bytes = files::read(&path)?;
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
