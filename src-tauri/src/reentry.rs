//! Reentry commands: the release pipeline, plans and their parts, the resource directory, the
//! plan template and consents. Each is one call into the core.

use crate::commands::{blocking, ctx, report, with_store, Reply};
use crate::files;
use crate::groups::id;
use crate::AppState;
use bridger::model::{AppointmentInput, ConsentInput, ParticipantId, PlanDetailsInput, PlanItemInput, ReferralInput, ResourceInput, SiteId};
use bridger::reports::{Document, Language};
use bridger::store::{Disclosure, HandOffSummary, OpenHandOff, PipelineRow, Plan, Resource, TemplateItem, TodayView};
use chrono::NaiveDate;
use tauri::State;
use uuid::Uuid;

fn record(text: &str, what: &'static str) -> Reply<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| report(bridger::Error::NotFound { what, id: text.to_string() }))
}

fn date(text: &str, field: &'static str) -> Reply<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| report(bridger::Error::field(field, format!("the date is written as YYYY-MM-DD, not \"{text}\""))))
}

fn optional_record(text: Option<String>, what: &'static str) -> Reply<Option<Uuid>> {
    text.as_deref().map(|t| record(t, what)).transpose()
}

#[tauri::command]
pub async fn reentry_pipeline(state: State<'_, AppState>) -> Reply<Vec<PipelineRow>> {
    with_store(state, |s| s.release_pipeline(ctx().today)).await
}

#[tauri::command]
pub async fn reentry_today(state: State<'_, AppState>) -> Reply<TodayView> {
    with_store(state, |s| s.today_view(ctx().today)).await
}

#[tauri::command]
pub async fn reentry_plan(state: State<'_, AppState>, participant_id: String) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    with_store(state, move |s| s.plan(&ctx(), p)).await
}

#[tauri::command]
pub async fn reentry_start_plan(state: State<'_, AppState>, participant_id: String) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    with_store(state, move |s| s.start_plan(&ctx(), p)).await
}

#[tauri::command]
pub async fn reentry_save_details(state: State<'_, AppState>, participant_id: String, input: PlanDetailsInput) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    with_store(state, move |s| s.save_plan_details(&ctx(), p, &input)).await
}

#[tauri::command]
pub async fn reentry_save_item(state: State<'_, AppState>, participant_id: String, item_id: Option<String>, input: PlanItemInput) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    let item = optional_record(item_id, "plan item")?;
    with_store(state, move |s| s.save_plan_item(&ctx(), p, item, &input)).await
}

#[tauri::command]
pub async fn reentry_save_appointment(state: State<'_, AppState>, participant_id: String, appointment_id: Option<String>, input: AppointmentInput) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    let appointment = optional_record(appointment_id, "appointment")?;
    with_store(state, move |s| s.save_appointment(&ctx(), p, appointment, &input)).await
}

#[tauri::command]
pub async fn reentry_save_referral(state: State<'_, AppState>, participant_id: String, referral_id: Option<String>, input: ReferralInput) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    let referral = optional_record(referral_id, "referral")?;
    with_store(state, move |s| s.save_referral(&ctx(), p, referral, &input)).await
}

#[tauri::command]
pub async fn consent_add(state: State<'_, AppState>, participant_id: String, input: ConsentInput) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    with_store(state, move |s| s.add_consent(&ctx(), p, &input)).await
}

#[tauri::command]
pub async fn consent_revoke(state: State<'_, AppState>, participant_id: String, consent_id: String, on: String) -> Reply<Plan> {
    let p: ParticipantId = id(&participant_id)?;
    let consent = record(&consent_id, "consent")?;
    let on = date(&on, "revoked_on")?;
    with_store(state, move |s| s.revoke_consent(&ctx(), p, consent, on)).await
}

#[tauri::command]
pub async fn resources_list(state: State<'_, AppState>, query: String) -> Reply<Vec<Resource>> {
    with_store(state, move |s| s.resources(&query)).await
}

#[tauri::command]
pub async fn resource_save(state: State<'_, AppState>, resource_id: Option<String>, input: ResourceInput, site_id: Option<String>) -> Reply<Resource> {
    let resource = optional_record(resource_id, "community resource")?;
    let site = site_id.as_deref().filter(|s| !s.is_empty()).map(id::<SiteId>).transpose()?;
    with_store(state, move |s| s.save_resource(&ctx(), resource, &input, site)).await
}

#[tauri::command]
pub async fn plan_template(state: State<'_, AppState>) -> Reply<Vec<TemplateItem>> {
    with_store(state, |s| s.plan_template()).await
}

#[tauri::command]
pub async fn template_item_save(state: State<'_, AppState>, item_id: Option<String>, input: PlanItemInput) -> Reply<Vec<TemplateItem>> {
    let item = optional_record(item_id, "template item")?;
    with_store(state, move |s| s.save_template_item(&ctx(), item, &input)).await
}

#[tauri::command]
pub async fn template_item_remove(state: State<'_, AppState>, item_id: String) -> Reply<Vec<TemplateItem>> {
    let item = record(&item_id, "template item")?;
    with_store(state, move |s| s.remove_template_item(&ctx(), item)).await
}

fn language(text: Option<String>) -> Reply<Option<Language>> {
    text.filter(|t| !t.is_empty())
        .map(|t| Language::parse(&t).ok_or_else(|| report(bridger::Error::field("language", "the packet is printed in English or Spanish"))))
        .transpose()
}

/// The release packet's content, for the print view; printing is audited by the core.
#[tauri::command]
pub async fn packet_view(state: State<'_, AppState>, participant_id: String, language_code: Option<String>) -> Reply<Document> {
    let p: ParticipantId = id(&participant_id)?;
    let language = language(language_code)?;
    with_store(state, move |s| s.release_packet(&ctx(), p, language)).await
}

/// Saves the release packet as a PDF where the person chooses; `None` when they cancel.
#[tauri::command]
pub async fn packet_save_pdf(app: tauri::AppHandle, state: State<'_, AppState>, participant_id: String, language_code: Option<String>) -> Reply<Option<String>> {
    let p: ParticipantId = id(&participant_id)?;
    let language = language(language_code)?;
    let picked = blocking(move || Ok(files::save(&app, "Save the release packet", "release-packet.pdf".into(), Some(("PDF", &["pdf"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| s.save_release_packet(&ctx(), p, language, &path).map(|()| Some(path.display().to_string()))).await
}

/// Writes a hand-off bundle for a community partner where the person chooses; `None` when they
/// cancel. The core decides from the person's consents what it may carry, or refuses.
#[tauri::command]
pub async fn handoff_export(app: tauri::AppHandle, state: State<'_, AppState>, participant_id: String, recipient_id: String) -> Reply<Option<HandOffSummary>> {
    let p: ParticipantId = id(&participant_id)?;
    let recipient = record(&recipient_id, "community partner")?;
    // Refused before the dialog, so nobody picks a file for a hand-off that cannot happen.
    with_store(state.clone(), move |s| s.check_handoff(&ctx(), p, recipient)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Save the hand-off bundle", "hand-off.bundle".into(), None))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s| s.export_handoff(&ctx(), p, recipient, &path).map(Some)).await
}

#[tauri::command]
pub async fn handoff_confirm(state: State<'_, AppState>, participant_id: String, disclosure_id: String, on: String, how: String) -> Reply<Vec<Disclosure>> {
    let p: ParticipantId = id(&participant_id)?;
    let disclosure = record(&disclosure_id, "hand-off")?;
    let on = date(&on, "confirmed_on")?;
    with_store(state, move |s| s.confirm_handoff(&ctx(), p, disclosure, on, &how)).await
}

#[tauri::command]
pub async fn handoffs_open(state: State<'_, AppState>) -> Reply<Vec<OpenHandOff>> {
    with_store(state, |s| s.open_handoffs()).await
}
