//! Tauri commands. Each runs its store call on a blocking thread so the window never freezes,
//! and hands errors to the UI as `{ code, message, fields }`.

use crate::AppState;
use bridger::error::{ErrorCode, ErrorReport};
use bridger::model::{
    DuplicateCheck, Enrolment, Facility, FacilityId, Location, LocationKind, NewFacility, Participant, ParticipantId, ParticipantInput, RosterFilter, RosterPage,
    SearchResult, StatusChange,
};
use bridger::store::SiteInfo;
use bridger::{Store, WriteCtx};
use serde::Serialize;
use tauri::State;

type Reply<T> = Result<T, ErrorReport>;

fn report(e: bridger::Error) -> ErrorReport {
    ErrorReport::from(&e)
}

fn internal(message: &str) -> ErrorReport {
    ErrorReport { code: ErrorCode::Database, message: message.to_string(), fields: vec![] }
}

async fn with_store<T: Send + 'static>(
    state: State<'_, AppState>,
    work: impl FnOnce(&mut Store) -> bridger::Result<T> + Send + 'static,
) -> Reply<T> {
    let store = state.store.clone()?;
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| internal("an earlier action failed badly: restart Bridger"))?;
        work(&mut guard).map_err(report)
    })
    .await
    .map_err(|_| internal("the action stopped unexpectedly: nothing further was saved, try again"))?
}

fn ctx() -> WriteCtx {
    WriteCtx::now(bridger::audit::os_actor("desktop"))
}

fn parse_id(id: &str) -> Reply<ParticipantId> {
    id.parse::<ParticipantId>().map_err(report)
}

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    db_path: String,
    site: Option<SiteInfo>,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    let db_path = state.db_path.display().to_string();
    let site = with_store(state, |s| match s.site() {
        Ok(site) => Ok(Some(site)),
        Err(bridger::Error::NotInitialized) => Ok(None),
        Err(e) => Err(e),
    })
    .await?;
    Ok(AppInfo { version: env!("CARGO_PKG_VERSION"), db_path, site })
}

#[tauri::command]
pub async fn setup_site(state: State<'_, AppState>, site_name: String, facility: NewFacility) -> Reply<SiteInfo> {
    with_store(state, move |s| s.setup(&ctx(), &site_name, &facility)).await
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
    with_store(state, move |s| s.participant(id).map(view)).await
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
