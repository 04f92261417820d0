//! Facilities and participants: each command is one call into the core.

use crate::call::{with_store, AppState, Reply};
use bridger::model::{
    parse, DuplicateCheck, Enrolment, Episode, EpisodeInput, Facility, FacilityId, Location, LocationKind, NewFacility, Participant, ParticipantId, ParticipantInput, RosterFilter, PhaseInput,
    RosterPage, SearchResult, StatusChange,
};
use serde::Serialize;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn facilities_list(state: State<'_, AppState>) -> Reply<Vec<Facility>> {
    with_store(state, |s, _| s.facilities()).await
}

#[tauri::command]
#[specta::specta]
pub async fn facility_create(state: State<'_, AppState>, facility: NewFacility) -> Reply<Facility> {
    with_store(state, move |s, ctx| s.create_facility(ctx, &facility)).await
}

#[tauri::command]
#[specta::specta]
pub async fn location_add(state: State<'_, AppState>, facility_id: String, kind: LocationKind, name: String) -> Reply<Location> {
    with_store(state, move |s, ctx| s.add_location(ctx, facility_id.parse::<FacilityId>()?, kind, &name)).await
}

#[tauri::command]
#[specta::specta]
pub async fn roster_page(state: State<'_, AppState>, filter: RosterFilter, offset: u32, limit: u32) -> Reply<RosterPage> {
    with_store(state, move |s, _| s.roster_page(&filter, offset.into(), limit.into())).await
}

#[tauri::command]
#[specta::specta]
pub async fn roster_search(state: State<'_, AppState>, text: String, filter: RosterFilter, limit: u32) -> Reply<SearchResult> {
    with_store(state, move |s, _| s.search(&text, &filter, limit.into())).await
}

/// A participant and the form's starting values for editing them.
#[derive(Serialize, specta::Type)]
pub struct ParticipantView {
    participant: Participant,
    form: ParticipantInput,
}

fn view(participant: Participant) -> ParticipantView {
    let form = participant.to_input();
    ParticipantView { participant, form }
}

#[tauri::command]
#[specta::specta]
pub async fn participant_get(state: State<'_, AppState>, id: String) -> Reply<ParticipantView> {
    with_store(state, move |s, ctx| s.view_participant(ctx, id.parse::<ParticipantId>()?).map(view)).await
}

#[tauri::command]
#[specta::specta]
pub async fn participant_enroll(state: State<'_, AppState>, input: ParticipantInput, check: DuplicateCheck) -> Reply<Enrolment> {
    with_store(state, move |s, ctx| s.enroll_checked(ctx, &input, check)).await
}

#[tauri::command]
#[specta::specta]
pub async fn participant_update(state: State<'_, AppState>, id: String, original: ParticipantInput, edited: ParticipantInput) -> Reply<ParticipantView> {
    with_store(state, move |s, ctx| s.update_participant(ctx, id.parse::<ParticipantId>()?, &original, &edited).map(view)).await
}

#[tauri::command]
#[specta::specta]
pub async fn participant_set_status(state: State<'_, AppState>, id: String, change: StatusChange) -> Reply<ParticipantView> {
    with_store(state, move |s, ctx| s.set_status(ctx, id.parse::<ParticipantId>()?, &change).map(view)).await
}

#[tauri::command]
#[specta::specta]
pub async fn participant_assign_peer(state: State<'_, AppState>, id: String, staff_id: Option<String>) -> Reply<ParticipantView> {
    with_store(state, move |s, ctx| {
        let peer = staff_id.as_deref().filter(|p| !p.is_empty()).map(str::parse::<bridger::model::StaffId>).transpose()?;
        s.assign_peer(ctx, id.parse::<ParticipantId>()?, peer).map(view)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn participant_delete(state: State<'_, AppState>, id: String) -> Reply<()> {
    with_store(state, move |s, ctx| s.delete_participant(ctx, id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn episodes_list(state: State<'_, AppState>, participant_id: String) -> Reply<Vec<Episode>> {
    with_store(state, move |s, ctx| s.episodes(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn episode_save(state: State<'_, AppState>, participant_id: String, id: Option<String>, input: EpisodeInput) -> Reply<Vec<Episode>> {
    with_store(state, move |s, ctx| s.save_episode(ctx, participant_id.parse::<ParticipantId>()?, parse::optional_record_id("program episode", id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn episode_remove(state: State<'_, AppState>, participant_id: String, id: String) -> Reply<Vec<Episode>> {
    with_store(state, move |s, ctx| s.remove_episode(ctx, participant_id.parse::<ParticipantId>()?, parse::record_id("program episode", &id)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn phase_add(state: State<'_, AppState>, participant_id: String, episode_id: String, input: PhaseInput) -> Reply<Vec<Episode>> {
    with_store(state, move |s, ctx| s.add_phase(ctx, participant_id.parse::<ParticipantId>()?, parse::record_id("program episode", &episode_id)?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn phase_remove(state: State<'_, AppState>, participant_id: String, id: String) -> Reply<Vec<Episode>> {
    with_store(state, move |s, ctx| s.remove_phase(ctx, participant_id.parse::<ParticipantId>()?, parse::record_id("phase", &id)?)).await
}
