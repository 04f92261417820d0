//! Sync commands: this site's card and the sites it trusts. Files are only read or written
//! where the person chose in the system's dialog.

use crate::commands::{blocking, ctx, with_store, Reply};
use crate::AppState;
use bridger::store::Peer;
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
        let Some(path) = app.dialog().file().set_title("Save this site's card").set_file_name(name).blocking_save_file().and_then(|p| p.into_path().ok())
        else {
            return Ok(None);
        };
        std::fs::write(&path, card.to_json()).map_err(|source| bridger::Error::Io { context: format!("cannot write {}", path.display()), source })?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Reads another site's card from a file the person picks; `None` when they cancel.
#[tauri::command]
pub async fn peer_card_open(app: tauri::AppHandle) -> Reply<Option<SiteCard>> {
    blocking(move || {
        let Some(path) = app.dialog().file().set_title("Open a site's card").blocking_pick_file().and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&path).map_err(|source| bridger::Error::Io { context: format!("cannot read {}", path.display()), source })?;
        SiteCard::parse(&text).map(Some)
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
