//! Peer work commands: the caseload, contacts, check-ins, recovery plans and a person's
//! timeline. Each is one call into the core.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::model::{
    parse, Caseload, CheckIn, CheckInInput, Contact, ContactInput, GoalInput, MomentKind, ParticipantId, RecoveryPlan, Staff, StaffId, StepInput, Timeline,
};
use bridger::store::{CheckInHistory, InstrumentEntry};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn caseload(state: State<'_, AppState>, staff_id: Option<String>) -> Reply<Caseload> {
    with_store(state, move |s, ctx| s.caseload(ctx.today, staff_id.as_deref().map(str::parse::<StaffId>).transpose()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn caseload_peers(state: State<'_, AppState>) -> Reply<Vec<Staff>> {
    with_store(state, |s, _| s.caseload_peers()).await
}

#[tauri::command]
#[specta::specta]
pub async fn contact_save(state: State<'_, AppState>, id: Option<String>, input: ContactInput) -> Reply<Contact> {
    with_store(state, move |s, ctx| s.save_contact(ctx, parse::optional_record_id("contact", id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn contacts_list(state: State<'_, AppState>, participant_id: String) -> Reply<Vec<Contact>> {
    with_store(state, move |s, ctx| s.contacts(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn contact_note_open(state: State<'_, AppState>, id: String) -> Reply<String> {
    with_store(state, move |s, ctx| s.open_contact_note(ctx, parse::record_id("contact", &id)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn check_ins(state: State<'_, AppState>, participant_id: String) -> Reply<CheckInHistory> {
    with_store(state, move |s, ctx| s.check_ins(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn check_in_record(state: State<'_, AppState>, input: CheckInInput) -> Reply<CheckIn> {
    with_store(state, move |s, ctx| s.record_check_in(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn check_ins_print_recorded(state: State<'_, AppState>, participant_id: String) -> Reply<()> {
    with_store(state, move |s, ctx| s.check_ins_print_recorded(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn instruments_list(state: State<'_, AppState>) -> Reply<Vec<InstrumentEntry>> {
    with_store(state, |s, _| s.instruments()).await
}

/// Loads an instrument from the definition file the person picks; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn instrument_load(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<Option<InstrumentEntry>> {
    let picked = blocking(move || Ok(files::open(&app, "Load a check-in instrument"))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.load_instrument_file(ctx, &path).map(Some)).await
}

#[tauri::command]
#[specta::specta]
pub async fn recovery_plan(state: State<'_, AppState>, participant_id: String) -> Reply<RecoveryPlan> {
    with_store(state, move |s, ctx| s.recovery_plan(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn goal_save(state: State<'_, AppState>, participant_id: String, id: Option<String>, input: GoalInput) -> Reply<RecoveryPlan> {
    with_store(state, move |s, ctx| s.save_goal(ctx, participant_id.parse::<ParticipantId>()?, parse::optional_record_id("goal", id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn step_save(state: State<'_, AppState>, participant_id: String, goal_id: String, id: Option<String>, input: StepInput) -> Reply<RecoveryPlan> {
    with_store(state, move |s, ctx| {
        s.save_step(ctx, participant_id.parse::<ParticipantId>()?, parse::record_id("goal", &goal_id)?, parse::optional_record_id("step", id.as_deref())?, &input)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn timeline(state: State<'_, AppState>, participant_id: String, kinds: Vec<MomentKind>) -> Reply<Timeline> {
    with_store(state, move |s, ctx| s.timeline(ctx, participant_id.parse::<ParticipantId>()?, &kinds)).await
}
