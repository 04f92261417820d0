//! Accounts, settings, backups and the audit trail.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::auth::Password;
use bridger::store::{Account, AccountChange, AccountSaved, AuditAnchor, AuditFilter, AuditPage, AuditReport, BackupInfo, NewAccount, Settings};
use serde::Serialize;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn accounts_list(state: State<'_, AppState>) -> Reply<Vec<Account>> {
    with_store(state, |s, _| s.accounts()).await
}

#[tauri::command]
#[specta::specta]
pub async fn account_create(state: State<'_, AppState>, account: NewAccount) -> Reply<Account> {
    with_store(state, move |s, ctx| s.create_account(ctx, &account)).await
}

#[tauri::command]
#[specta::specta]
pub async fn account_update(state: State<'_, AppState>, username: String, change: AccountChange) -> Reply<AccountSaved> {
    with_store(state, move |s, ctx| s.update_account(ctx, &username, &change)).await
}

#[tauri::command]
#[specta::specta]
pub async fn account_deactivate(state: State<'_, AppState>, username: String) -> Reply<AccountSaved> {
    with_store(state, move |s, ctx| s.deactivate_account(ctx, &username)).await
}

#[tauri::command]
#[specta::specta]
pub async fn account_reset_password(state: State<'_, AppState>, username: String, password: Password) -> Reply<()> {
    with_store(state, move |s, ctx| s.reset_password(ctx, &username, password.as_str())).await
}

#[tauri::command]
#[specta::specta]
pub async fn settings_set(state: State<'_, AppState>, settings: Settings) -> Reply<Settings> {
    with_store(state, move |s, ctx| s.set_settings(ctx, &settings)).await
}

#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, AppState>) -> Reply<BackupInfo> {
    with_store(state, |s, ctx| s.backup(ctx)).await
}

#[tauri::command]
#[specta::specta]
pub async fn backups_list(state: State<'_, AppState>) -> Reply<Vec<BackupInfo>> {
    with_store(state, |s, _| s.backups()).await
}

#[tauri::command]
#[specta::specta]
pub async fn audit_page(state: State<'_, AppState>, filter: AuditFilter, offset: u32, limit: u32) -> Reply<AuditPage> {
    with_store(state, move |s, _| s.audit_page(&filter, offset.into(), limit.into())).await
}

#[tauri::command]
#[specta::specta]
pub async fn audit_verify(state: State<'_, AppState>) -> Reply<AuditReport> {
    with_store(state, |s, _| s.audit_verify()).await
}

/// The trail's head in a few characters, for a paper log.
#[tauri::command]
#[specta::specta]
pub async fn audit_anchor(state: State<'_, AppState>) -> Reply<AuditAnchor> {
    with_store(state, |s, _| s.audit_anchor()).await
}

/// Checks an anchor written in the paper log earlier: the trail must still hold that entry.
#[tauri::command]
#[specta::specta]
pub async fn audit_check_anchor(state: State<'_, AppState>, written: String) -> Reply<AuditAnchor> {
    with_store(state, move |s, _| s.audit_check_anchor(&written)).await
}

#[derive(Serialize, specta::Type)]
pub struct Exported {
    path: String,
    entries: u32,
}

/// Asks where to save (the person picks the file in the system's dialog), then exports there.
/// `None` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn audit_export(app: tauri::AppHandle, state: State<'_, AppState>, filter: AuditFilter) -> Reply<Option<Exported>> {
    let picked = blocking(move || Ok(files::save(&app, "Export the audit trail", files::dated("audit-trail", "csv"), Some(("CSV", &["csv"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| {
        let entries = s.audit_export(ctx, &filter, &path)?;
        Ok(Some(Exported { path: path.display().to_string(), entries: u32::try_from(entries).unwrap_or(u32::MAX) }))
    })
    .await
}
