//! Peer staff commands: staff records, credentials and hours, supervision and its report,
//! evaluations and a mentor's summary of peer work, and program readiness. Each is one call into
//! the core.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::model::{
    parse, readiness_steps, CeEntry, CeHoursInput, Credential, CredentialInput, Evaluation, EvaluationInput, FacilityId, MentorSummary, ReadinessAnswerInput,
    ReadinessAssessment, ReadinessAssessmentInput, ReadinessListing, ReadinessStep, StaffId, StaffRecord, StaffRecordInput, SupervisionInput, SupervisionReport,
    SupervisionSession,
};
use bridger::reports::Language;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn staff_record(state: State<'_, AppState>, staff_id: String) -> Reply<StaffRecord> {
    with_store(state, move |s, ctx| s.staff_record(staff_id.parse::<StaffId>()?, ctx.today)).await
}

#[tauri::command]
#[specta::specta]
pub async fn staff_record_save(state: State<'_, AppState>, staff_id: String, input: StaffRecordInput) -> Reply<StaffRecord> {
    with_store(state, move |s, ctx| s.update_staff_record(ctx, staff_id.parse::<StaffId>()?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn credential_add(state: State<'_, AppState>, input: CredentialInput) -> Reply<Credential> {
    with_store(state, move |s, ctx| s.add_credential(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn credential_remove(state: State<'_, AppState>, id: String) -> Reply<()> {
    with_store(state, move |s, ctx| s.remove_credential(ctx, &id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn ce_hours_add(state: State<'_, AppState>, input: CeHoursInput) -> Reply<CeEntry> {
    with_store(state, move |s, ctx| s.add_ce_hours(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn ce_hours_remove(state: State<'_, AppState>, id: String) -> Reply<()> {
    with_store(state, move |s, ctx| s.remove_ce_hours(ctx, &id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn supervision_log(state: State<'_, AppState>, input: SupervisionInput) -> Reply<SupervisionSession> {
    with_store(state, move |s, ctx| s.log_supervision(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn supervision_report(state: State<'_, AppState>, from: String, to: String, facility_id: Option<String>) -> Reply<SupervisionReport> {
    with_store(state, move |s, ctx| {
        let facility = facility_id.filter(|f| !f.is_empty()).map(|f| f.parse::<FacilityId>()).transpose()?;
        s.supervision_report(parse::date("from", &from)?, parse::date("to", &to)?, facility, ctx.today)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn evaluation_add(state: State<'_, AppState>, input: EvaluationInput) -> Reply<Evaluation> {
    with_store(state, move |s, ctx| s.add_evaluation(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn mentor_summary(state: State<'_, AppState>, staff_id: String) -> Reply<MentorSummary> {
    with_store(state, move |s, ctx| s.mentor_summary(staff_id.parse::<StaffId>()?, ctx.today)).await
}

/// Saves a person's summary of peer work as a PDF where the person chooses; `None` when they
/// cancel.
#[tauri::command]
#[specta::specta]
pub async fn mentor_summary_save_pdf(app: tauri::AppHandle, state: State<'_, AppState>, staff_id: String, language: String) -> Reply<Option<String>> {
    let staff = staff_id.parse::<StaffId>()?;
    let language = Language::choose(Some(&language))?.unwrap_or(Language::English);
    let name = with_store(state.clone(), move |s, ctx| s.mentor_summary_file_name(ctx, staff)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Save the record of peer work", name, Some(("PDF", &["pdf"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.save_mentor_summary(ctx, staff, language, &path).map(|()| Some(path.display().to_string()))).await
}

#[tauri::command]
#[specta::specta]
pub async fn readiness_checklist() -> Reply<Vec<ReadinessStep>> {
    Ok(readiness_steps().to_vec())
}

#[tauri::command]
#[specta::specta]
pub async fn readiness_list(state: State<'_, AppState>, facility_id: String) -> Reply<Vec<ReadinessListing>> {
    with_store(state, move |s, _| s.readiness_assessments(facility_id.parse::<FacilityId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn readiness_open(state: State<'_, AppState>, id: String) -> Reply<ReadinessAssessment> {
    with_store(state, move |s, _| s.readiness_assessment(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn readiness_start(state: State<'_, AppState>, input: ReadinessAssessmentInput) -> Reply<ReadinessAssessment> {
    with_store(state, move |s, ctx| s.start_readiness_assessment(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn readiness_answer(state: State<'_, AppState>, assessment_id: String, item: String, input: ReadinessAnswerInput) -> Reply<ReadinessAssessment> {
    with_store(state, move |s, ctx| s.save_readiness_answer(ctx, &assessment_id, &item, &input)).await
}

/// Saves an assessment's printable summary, beside an earlier one when given, as a PDF where the
/// person chooses; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn readiness_save_pdf(app: tauri::AppHandle, state: State<'_, AppState>, id: String, earlier: Option<String>, language: String) -> Reply<Option<String>> {
    let language = Language::choose(Some(&language))?.unwrap_or(Language::English);
    let asked = id.clone();
    let name = with_store(state.clone(), move |s, _| s.readiness_summary_file_name(&asked)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Save the readiness summary", name, Some(("PDF", &["pdf"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.save_readiness_summary(ctx, &id, earlier.as_deref().filter(|e| !e.is_empty()), language, &path).map(|()| Some(path.display().to_string())))
        .await
}
