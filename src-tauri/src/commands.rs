//! Tauri commands. Each runs its store call on a blocking thread so the window never freezes,
//! and hands errors to the UI as `{ code, message, fields }`.

use crate::AppState;
use bridger::error::{ErrorCode, ErrorReport};
use bridger::model::{
    DuplicateCheck, Enrolment, Facility, FacilityId, Location, LocationKind, NewFacility, Participant, ParticipantId, ParticipantInput, RosterFilter, RosterPage,
    SearchResult, StatusChange,
};
use bridger::store::{Account, AccountChange, AuditFilter, AuditPage, AuditReport, BackupInfo, NewAccount, Settings};
use bridger::{Store, WriteCtx};
use serde::Serialize;
use tauri::State;
use crate::files;

pub(crate) type Reply<T> = Result<T, ErrorReport>;

pub(crate) fn report(e: bridger::Error) -> ErrorReport {
    ErrorReport::from(&e)
}

fn internal(message: &str) -> ErrorReport {
    ErrorReport { code: ErrorCode::Database, message: message.to_string(), fields: vec![] }
}

/// Runs core work on a blocking thread, so the window never freezes.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> bridger::Result<T> + Send + 'static) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || work().map_err(report))
        .await
        .map_err(|_| internal("the action stopped unexpectedly: nothing further was saved, try again"))?
}

/// Runs work on the signed-in store; refused while nobody is signed in or the screen is locked.
pub(crate) async fn with_store<T: Send + 'static>(
    state: State<'_, AppState>,
    work: impl FnOnce(&mut Store) -> bridger::Result<T> + Send + 'static,
) -> Reply<T> {
    let store = state.store.clone();
    blocking(move || {
        let mut guard = store.lock().map_err(|_| bridger::Error::Busy)?;
        let signed_in = guard.as_mut().ok_or(bridger::Error::NotSignedIn)?;
        work(signed_in)
    })
    .await
}

pub(crate) fn ctx() -> WriteCtx {
    WriteCtx::now()
}

fn parse_id(id: &str) -> Reply<ParticipantId> {
    id.parse::<ParticipantId>().map_err(report)
}

#[tauri::command]
pub async fn facilities_list(state: State<'_, AppState>) -> Reply<Vec<Facility>> {
    with_store(state, |s| s.facilities()).await
}

#[tauri::command]
pub async fn facility_create(state: State<'_, AppState>, facility: NewFacility) -> Reply<Facility> {
    with_store(state, move |s| s.create_facility(&ctx(), &facility)).await
}

#[tauri::command]
pub async fn location_add(state: State<'_, AppState>, facility_id: String, kind: LocationKind, name: String) -> Reply<Location> {
    let facility = facility_id.parse::<FacilityId>().map_err(report)?;
    with_store(state, move |s| s.add_location(&ctx(), facility, kind, &name)).await
}

#[tauri::command]
pub async fn roster_page(state: State<'_, AppState>, filter: RosterFilter, offset: u64, limit: u64) -> Reply<RosterPage> {
    with_store(state, move |s| s.roster_page(&filter, offset, limit)).await
}

#[tauri::command]
pub async fn roster_search(state: State<'_, AppState>, text: String, filter: RosterFilter, limit: u64) -> Reply<SearchResult> {
    with_store(state, move |s| s.search(&text, &filter, limit)).await
}

#[derive(Serialize)]
pub struct ParticipantView {
    participant: Participant,
    form: ParticipantInput,
}

fn view(participant: Participant) -> ParticipantView {
    let form = participant.to_input();
    ParticipantView { participant, form }
}

#[tauri::command]
pub async fn participant_get(state: State<'_, AppState>, id: String) -> Reply<ParticipantView> {
    let id = parse_id(&id)?;
    with_store(state, move |s| s.view_participant(&ctx(), id).map(view)).await
}

#[tauri::command]
pub async fn participant_enroll(state: State<'_, AppState>, input: ParticipantInput, check: DuplicateCheck) -> Reply<Enrolment> {
    with_store(state, move |s| s.enroll_checked(&ctx(), &input, check)).await
}

#[tauri::command]
pub async fn participant_update(
    state: State<'_, AppState>,
    id: String,
    original: ParticipantInput,
    edited: ParticipantInput,
) -> Reply<ParticipantView> {
    let id = parse_id(&id)?;
    with_store(state, move |s| s.update_participant(&ctx(), id, &original, &edited).map(view)).await
}

#[tauri::command]
pub async fn participant_set_status(state: State<'_, AppState>, id: String, change: StatusChange) -> Reply<ParticipantView> {
    let id = parse_id(&id)?;
    with_store(state, move |s| s.set_status(&ctx(), id, &change).map(view)).await
}

#[tauri::command]
pub async fn participant_delete(state: State<'_, AppState>, id: String) -> Reply<()> {
    let id = parse_id(&id)?;
    with_store(state, move |s| s.delete_participant(&ctx(), id)).await
}

#[tauri::command]
pub async fn accounts_list(state: State<'_, AppState>) -> Reply<Vec<Account>> {
    with_store(state, |s| s.accounts()).await
}

#[tauri::command]
pub async fn account_create(state: State<'_, AppState>, account: NewAccount) -> Reply<Account> {
    with_store(state, move |s| s.create_account(&ctx(), &account)).await
}

#[tauri::command]
pub async fn account_update(state: State<'_, AppState>, username: String, change: AccountChange) -> Reply<Account> {
    with_store(state, move |s| s.update_account(&ctx(), &username, &change)).await
}

#[tauri::command]
pub async fn account_deactivate(state: State<'_, AppState>, username: String) -> Reply<()> {
    with_store(state, move |s| s.deactivate_account(&ctx(), &username)).await
}

#[tauri::command]
pub async fn account_reset_password(state: State<'_, AppState>, username: String, password: String) -> Reply<()> {
    with_store(state, move |s| s.reset_password(&ctx(), &username, &password)).await
}

#[tauri::command]
pub async fn settings_set(state: State<'_, AppState>, settings: Settings) -> Reply<Settings> {
    with_store(state, move |s| s.set_settings(&ctx(), &settings)).await
}

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Reply<BackupInfo> {
    with_store(state, |s| s.backup(&ctx())).await
}

#[tauri::command]
pub async fn backups_list(state: State<'_, AppState>) -> Reply<Vec<BackupInfo>> {
    with_store(state, |s| s.backups()).await
}

#[tauri::command]
pub async fn audit_page(state: State<'_, AppState>, filter: AuditFilter, offset: u64, limit: u64) -> Reply<AuditPage> {
    with_store(state, move |s| s.audit_page(&filter, offset, limit)).await
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Reply<AuditReport> {
    with_store(state, |s| s.audit_verify()).await
}

#[derive(Serialize)]
pub struct Exported {
    path: String,
    entries: u64,
}

/// Asks where to save (the person picks the file in the system's dialog), then exports there.
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn audit_export(app: tauri::AppHandle, state: State<'_, AppState>, filter: AuditFilter) -> Reply<Option<Exported>> {
    let picked = blocking(move || Ok(files::save(&app, "Export the audit trail", "audit-trail.csv".into(), Some(("CSV", &["csv"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| {
        let entries = s.audit_export(&ctx(), &filter, &path)?;
        Ok(Some(Exported { path: path.display().to_string(), entries }))
    })
    .await
}
