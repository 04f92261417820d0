//! Signing in and out, locking and unlocking, first run: the commands that open and close the
//! store. The rules (who may unlock, the idle time) are the workstation's, in the core.

use crate::call::{on_workstation, with_store, AppState, Reply};
use bridger::auth::{Password, Preferences, Session};
use bridger::site::Stage;
use bridger::store::{Settings, SiteInfo, SiteSetup};
use bridger::error::{ErrorCode, ErrorReport};
use bridger::model::FacilityId;
use bridger::Store;
use serde::Serialize;
use tauri::State;

/// Who is signed in, to which site, the settings the window obeys (the idle lock), and the
/// facility the screens open on.
#[derive(Serialize, specta::Type)]
pub struct SessionView {
    session: Session,
    site: SiteInfo,
    settings: Settings,
    home_facility: Option<FacilityId>,
}

fn session_view(s: &Store) -> bridger::Result<SessionView> {
    Ok(SessionView { session: s.session()?.clone(), site: s.site()?, settings: s.settings()?, home_facility: s.home_facility()? })
}

#[derive(Serialize, specta::Type)]
pub struct AppInfo {
    version: &'static str,
    db_path: String,
    stage: Stage,
    locked_by: Option<String>,
    session: Option<SessionView>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    on_workstation(state, |w, ctx| {
        let stage = w.stage(ctx);
        let session = w.current().map(session_view).transpose()?;
        Ok(AppInfo { version: env!("CARGO_PKG_VERSION"), db_path: w.files().db.display().to_string(), stage, locked_by: w.locked_by().map(str::to_string), session })
    })
    .await
}

#[derive(Serialize, specta::Type)]
pub struct SetupDone {
    session: SessionView,
    /// Shown once, to print and lock away; kept nowhere.
    recovery_key: String,
}

#[tauri::command]
#[specta::specta]
pub async fn setup_site(state: State<'_, AppState>, setup: SiteSetup) -> Reply<SetupDone> {
    on_workstation(state, move |w, ctx| {
        let recovery = w.setup(ctx, &setup)?;
        Ok(SetupDone { session: session_view(w.store(ctx)?)?, recovery_key: recovery.display() })
    })
    .await
}

#[derive(Serialize, specta::Type)]
pub struct SignedIn {
    session: SessionView,
    /// What opening the database did, to be told: an upgrade and the copy kept before it, the
    /// daily backup or why it failed.
    notices: Vec<bridger::error::Said>,
}

#[tauri::command]
#[specta::specta]
pub async fn sign_in(state: State<'_, AppState>, username: String, password: Password) -> Reply<SignedIn> {
    on_workstation(state, move |w, ctx| {
        let notices = w.sign_in(ctx, &username, password.as_str())?;
        Ok(SignedIn { session: session_view(w.store(ctx)?)?, notices })
    })
    .await
}

/// Unlocks the screen for the person who locked it; the window kept everything they had open.
#[tauri::command]
#[specta::specta]
pub async fn unlock(state: State<'_, AppState>, password: Password) -> Reply<SignedIn> {
    on_workstation(state, move |w, ctx| {
        let notices = w.unlock(ctx, password.as_str())?;
        Ok(SignedIn { session: session_view(w.store(ctx)?)?, notices })
    })
    .await
}

/// Locks the screen (idle, or the person stepping away): the store is closed until they unlock.
#[tauri::command]
#[specta::specta]
pub async fn lock(state: State<'_, AppState>) -> Reply<()> {
    on_workstation(state, |w, ctx| w.lock(ctx)).await
}

/// Signs out, or ends a locked session so someone else can sign in.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> Reply<()> {
    on_workstation(state, |w, ctx| w.sign_out(ctx)).await
}

#[tauri::command]
#[specta::specta]
pub async fn change_password(state: State<'_, AppState>, current: Password, chosen: Password) -> Reply<SessionView> {
    with_store(state, move |s, ctx| {
        s.change_password(ctx, current.as_str(), chosen.as_str())?;
        session_view(s)
    })
    .await
}

/// The signed-in person's own screen language and date order; the screens follow at once.
#[tauri::command]
#[specta::specta]
pub async fn preferences_set(state: State<'_, AppState>, preferences: Preferences) -> Reply<SessionView> {
    with_store(state, move |s, ctx| {
        s.set_preferences(ctx, preferences)?;
        session_view(s)
    })
    .await
}

/// Names the screen in the window's title, so the taskbar and the window switcher say where the
/// person is. A screen's name only: never a participant's, which a title would show to anyone
/// passing the workstation.
#[tauri::command]
#[specta::specta]
pub fn window_title(window: tauri::WebviewWindow, screen: String) -> Reply<()> {
    let screen = bridger::text::clean_line(&screen);
    let title = if screen.is_empty() { "Bridger".to_string() } else { format!("{screen} – Bridger") };
    window.set_title(&title).map_err(|e| ErrorReport {
        code: ErrorCode::Io,
        message: format!("the window's title could not be set: {e}"),
        message_es: format!("no se pudo poner el título de la ventana: {e}"),
        fields: vec![],
    })
}
