//! Reentry commands: the release pipeline, plans and their parts, the resource directory, the
//! plan template, consents, hand-offs and the packet. Each is one call into the core.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::model::parse::{date, optional_record_id, record_id};
use bridger::model::{
    AppointmentInput, ConsentInput, Disclosure, OpenHandOff, ParticipantId, PipelineRow, Plan, PlanDetailsInput, PlanItemInput, ReferralInput, Resource, ResourceInput,
    SiteId, TemplateItem,
};
use bridger::reports::{Document, Language};
use bridger::store::HandOffSummary;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn reentry_pipeline(state: State<'_, AppState>) -> Reply<Vec<PipelineRow>> {
    with_store(state, |s, ctx| s.release_pipeline(ctx.today)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reentry_plan(state: State<'_, AppState>, participant_id: String) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.plan(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reentry_start_plan(state: State<'_, AppState>, participant_id: String) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.start_plan(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reentry_save_details(state: State<'_, AppState>, participant_id: String, input: PlanDetailsInput) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.save_plan_details(ctx, participant_id.parse::<ParticipantId>()?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reentry_save_item(state: State<'_, AppState>, participant_id: String, item_id: Option<String>, input: PlanItemInput) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.save_plan_item(ctx, participant_id.parse::<ParticipantId>()?, optional_record_id("plan item", item_id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reentry_save_appointment(state: State<'_, AppState>, participant_id: String, appointment_id: Option<String>, input: AppointmentInput) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.save_appointment(ctx, participant_id.parse::<ParticipantId>()?, optional_record_id("appointment", appointment_id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reentry_save_referral(state: State<'_, AppState>, participant_id: String, referral_id: Option<String>, input: ReferralInput) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.save_referral(ctx, participant_id.parse::<ParticipantId>()?, optional_record_id("referral", referral_id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn consent_add(state: State<'_, AppState>, participant_id: String, input: ConsentInput) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.add_consent(ctx, participant_id.parse::<ParticipantId>()?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn consent_revoke(state: State<'_, AppState>, participant_id: String, consent_id: String, on: String) -> Reply<Plan> {
    with_store(state, move |s, ctx| s.revoke_consent(ctx, participant_id.parse::<ParticipantId>()?, record_id("consent", &consent_id)?, date("revoked_on", &on)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn resources_list(state: State<'_, AppState>, query: String) -> Reply<Vec<Resource>> {
    with_store(state, move |s, _| s.resources(&query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn resource_save(state: State<'_, AppState>, resource_id: Option<String>, input: ResourceInput, site_id: Option<String>) -> Reply<Resource> {
    with_store(state, move |s, ctx| {
        let site = site_id.as_deref().filter(|s| !s.is_empty()).map(str::parse::<SiteId>).transpose()?;
        s.save_resource(ctx, optional_record_id("community resource", resource_id.as_deref())?, &input, site)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn plan_template(state: State<'_, AppState>) -> Reply<Vec<TemplateItem>> {
    with_store(state, |s, _| s.plan_template()).await
}

#[tauri::command]
#[specta::specta]
pub async fn template_item_save(state: State<'_, AppState>, item_id: Option<String>, input: PlanItemInput) -> Reply<Vec<TemplateItem>> {
    with_store(state, move |s, ctx| s.save_template_item(ctx, optional_record_id("template item", item_id.as_deref())?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn template_item_remove(state: State<'_, AppState>, item_id: String) -> Reply<Vec<TemplateItem>> {
    with_store(state, move |s, ctx| s.remove_template_item(ctx, record_id("template item", &item_id)?)).await
}

/// The release packet's content, for the print view; printing is audited by the core.
#[tauri::command]
#[specta::specta]
pub async fn packet_view(state: State<'_, AppState>, participant_id: String, language: Option<String>) -> Reply<Document> {
    with_store(state, move |s, ctx| s.release_packet(ctx, participant_id.parse::<ParticipantId>()?, Language::choose(language.as_deref())?)).await
}

/// Saves the release packet as a PDF where the person chooses; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn packet_save_pdf(app: tauri::AppHandle, state: State<'_, AppState>, participant_id: String, language: Option<String>) -> Reply<Option<String>> {
    let language = Language::choose(language.as_deref())?;
    let participant = participant_id.parse::<ParticipantId>()?;
    let name = with_store(state.clone(), move |s, ctx| s.release_packet_file_name(ctx, participant)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Save the release packet", name, Some(("PDF", &["pdf"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.save_release_packet(ctx, participant, language, &path).map(|()| Some(path.display().to_string()))).await
}

/// Writes a hand-off bundle for a community partner where the person chooses; `None` when they
/// cancel. The core decides from the person's consents what it may carry, or refuses, before
/// anyone is asked where to save it.
#[tauri::command]
#[specta::specta]
pub async fn handoff_export(app: tauri::AppHandle, state: State<'_, AppState>, participant_id: String, recipient_id: String) -> Reply<Option<HandOffSummary>> {
    let participant = participant_id.parse::<ParticipantId>()?;
    let recipient = record_id("community partner", &recipient_id)?;
    with_store(state.clone(), move |s, ctx| s.check_handoff(ctx.today, participant, recipient)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Save the hand-off bundle", files::dated("hand-off", "bundle"), None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.export_handoff(ctx, participant, recipient, &path).map(Some)).await
}

#[tauri::command]
#[specta::specta]
pub async fn handoff_confirm(state: State<'_, AppState>, participant_id: String, disclosure_id: String, on: String, how: String) -> Reply<Vec<Disclosure>> {
    with_store(state, move |s, ctx| s.confirm_handoff(ctx, participant_id.parse::<ParticipantId>()?, record_id("hand-off", &disclosure_id)?, date("confirmed_on", &on)?, &how)).await
}

#[tauri::command]
#[specta::specta]
pub async fn handoffs_open(state: State<'_, AppState>) -> Reply<Vec<OpenHandOff>> {
    with_store(state, |s, _| s.open_handoffs()).await
}
