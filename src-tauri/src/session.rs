//! Signing in and out, locking and unlocking: the commands that open and close the store.

use crate::commands::{blocking, ctx, report, with_store, Reply};
use crate::AppState;
use bridger::auth::{self, KdfParams, Session};
use bridger::error::{ErrorCode, ErrorReport};
use bridger::store::{Settings, SiteInfo, SiteSetup};
use bridger::Store;
use serde::Serialize;
use tauri::State;

/// Who is signed in, to which site, and the settings the window obeys (the idle lock).
#[derive(Serialize)]
pub struct SessionView {
    session: Session,
    site: SiteInfo,
    settings: Settings,
}

pub(crate) fn session_view(s: &Store) -> bridger::Result<SessionView> {
    Ok(SessionView { session: s.session()?.clone(), site: s.site()?, settings: s.settings()? })
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// No database yet: first run.
    Setup,
    /// A database, nobody signed in.
    SignIn,
    /// The screen is locked by this person.
    Locked,
    SignedIn,
}

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    db_path: String,
    stage: Stage,
    locked_by: Option<String>,
    session: Option<SessionView>,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    let db_path = state.files.db.display().to_string();
    let locked_by = state.locked_by.lock().map_err(|_| poisoned())?.clone();
    let open = state.store.lock().map_err(|_| poisoned())?.as_ref().map(session_view).transpose().map_err(report)?;
    let stage = match (&open, &locked_by) {
        (Some(_), _) => Stage::SignedIn,
        (None, Some(_)) => Stage::Locked,
        (None, None) if state.files.db.exists() || state.files.key.exists() => Stage::SignIn,
        (None, None) => Stage::Setup,
    };
    Ok(AppInfo { version: env!("CARGO_PKG_VERSION"), db_path, stage, locked_by, session: open })
}

fn poisoned() -> ErrorReport {
    ErrorReport { code: ErrorCode::Database, message: "an earlier action failed badly: restart Bridger".into(), fields: vec![] }
}

#[derive(Serialize)]
pub struct SetupDone {
    session: SessionView,
    /// Shown once, to print and lock away; kept nowhere.
    recovery_key: String,
}

#[tauri::command]
pub async fn setup_site(state: State<'_, AppState>, setup: SiteSetup) -> Reply<SetupDone> {
    let files = state.files.clone();
    let (store, done) = blocking(move || {
        let (store, recovery) = auth::create(&files, &ctx(), &setup, KdfParams::DEFAULT)?;
        let session = session_view(&store)?;
        Ok((store, SetupDone { session, recovery_key: recovery.display() }))
    })
    .await?;
    *state.store.lock().map_err(|_| poisoned())? = Some(store);
    Ok(done)
}

#[derive(Serialize)]
pub struct SignedIn {
    session: SessionView,
    /// The automatic backup made at sign-in, or why it failed; none when one was not due.
    backup_notice: Option<String>,
}

async fn open(state: &State<'_, AppState>, username: String, password: String, unlock: bool) -> Reply<SignedIn> {
    let files = state.files.clone();
    let (store, signed_in) = blocking(move || {
        let ctx = ctx();
        let mut store = auth::sign_in(&files, &ctx, &username, &password, unlock)?;
        let backup_notice = match store.backup_if_due(&ctx) {
            Ok(Some(b)) => Some(format!("A daily backup was made: {}", b.name)),
            Ok(None) => None,
            Err(e) => Some(format!("The daily backup failed: {e}")),
        };
        let session = session_view(&store)?;
        Ok((store, SignedIn { session, backup_notice }))
    })
    .await?;
    *state.store.lock().map_err(|_| poisoned())? = Some(store);
    *state.locked_by.lock().map_err(|_| poisoned())? = None;
    Ok(signed_in)
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, username: String, password: String) -> Reply<SignedIn> {
    if state.locked_by.lock().map_err(|_| poisoned())?.is_some() {
        return Err(ErrorReport {
            code: ErrorCode::Forbidden,
            message: "the screen is locked: unlock it, or sign the locked session out first".into(),
            fields: vec![],
        });
    }
    open(&state, username, password, false).await
}

/// Unlocks the screen for the person who locked it; the window kept everything they had open.
#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, password: String) -> Reply<SignedIn> {
    let username = state.locked_by.lock().map_err(|_| poisoned())?.clone().ok_or_else(|| ErrorReport {
        code: ErrorCode::NotSignedIn,
        message: "the screen is not locked: sign in".into(),
        fields: vec![],
    })?;
    open(&state, username, password, true).await
}

async fn close(state: &State<'_, AppState>, idle: bool) -> Reply<()> {
    let Some(store) = state.store.lock().map_err(|_| poisoned())?.take() else { return Ok(()) };
    let username = store.session().map(|s| s.username().to_string()).ok();
    *state.locked_by.lock().map_err(|_| poisoned())? = if idle { username } else { None };
    blocking(move || store.sign_out(&ctx(), idle)).await
}

/// Locks the screen (idle, or the person stepping away): the store is closed until they unlock.
#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Reply<()> {
    close(&state, true).await
}

/// Signs out, or ends a locked session so someone else can sign in.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Reply<()> {
    *state.locked_by.lock().map_err(|_| poisoned())? = None;
    close(&state, false).await
}

#[tauri::command]
pub async fn change_password(state: State<'_, AppState>, current: String, new: String) -> Reply<SessionView> {
    with_store(state, move |s| {
        s.change_password(&ctx(), &current, &new)?;
        session_view(s)
    })
    .await
}
