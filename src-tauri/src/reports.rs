//! The program report, the people behind its figures, and the report saved as a file: each
//! command is one call into the core.

use crate::call::{blocking, with_store, AppState, Reply};
use crate::files;
use bridger::model::{parse, FacilityId, FigurePeople, FollowUpDue, ProgramReport, ReportFormat};
use bridger::reports::Language;
use tauri::State;

/// The facility a screen chose; blank is every facility of the account.
fn chosen(facility_id: Option<String>) -> bridger::Result<Option<FacilityId>> {
    facility_id.filter(|f| !f.is_empty()).map(|f| f.parse::<FacilityId>()).transpose()
}

#[tauri::command]
#[specta::specta]
pub async fn program_report(state: State<'_, AppState>, from: String, to: String, facility_id: Option<String>) -> Reply<ProgramReport> {
    with_store(state, move |s, ctx| s.program_report(parse::date("from", &from)?, parse::date("to", &to)?, chosen(facility_id)?, ctx.today)).await
}

#[tauri::command]
#[specta::specta]
pub async fn program_report_people(state: State<'_, AppState>, from: String, to: String, facility_id: Option<String>, key: String) -> Reply<FigurePeople> {
    with_store(state, move |s, ctx| s.program_report_people(ctx, parse::date("from", &from)?, parse::date("to", &to)?, chosen(facility_id)?, &key)).await
}

/// Writes the report where the person chooses: a PDF in `language`, or CSV files in a folder
/// of the chosen name. `None` when they cancel. The period is checked before anyone is asked.
#[tauri::command]
#[specta::specta]
pub async fn program_report_save(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
    facility_id: Option<String>,
    format: ReportFormat,
    language: Option<String>,
) -> Reply<Option<String>> {
    let period = (parse::date("from", &from)?, parse::date("to", &to)?);
    let facility = chosen(facility_id)?;
    let language = Language::choose(language.as_deref())?.unwrap_or(Language::English);
    let stem = format!("program-report-{}-to-{}", period.0, period.1);
    let picked = blocking(move || {
        Ok(match format {
            ReportFormat::Pdf => files::save(&app, "Save the program report", format!("{stem}.pdf"), Some(("PDF", &["pdf"]))),
            ReportFormat::Csv => files::save(&app, "Save the program report as CSV files, in a folder of this name", stem, None),
            ReportFormat::Json => files::save(&app, "Save the program report as JSON", format!("{stem}.json"), Some(("JSON", &["json"]))),
        })
    })
    .await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.save_program_report(ctx, period, facility, format, language, &path).map(|_| Some(path.display().to_string()))).await
}

#[tauri::command]
#[specta::specta]
pub async fn follow_ups_due(state: State<'_, AppState>, facility_id: Option<String>) -> Reply<Vec<FollowUpDue>> {
    with_store(state, move |s, ctx| s.follow_ups_due(ctx, chosen(facility_id)?)).await
}

/// Writes the people behind a figure as a CSV file where the person chooses; `None` when they
/// cancel. The core refuses it to a role that may not export records, before anyone is asked.
#[tauri::command]
#[specta::specta]
pub async fn program_report_people_save(app: tauri::AppHandle, state: State<'_, AppState>, from: String, to: String, facility_id: Option<String>, key: String) -> Reply<Option<String>> {
    let period = (parse::date("from", &from)?, parse::date("to", &to)?);
    let facility = chosen(facility_id)?;
    let wanted = key.clone();
    let name = with_store(state.clone(), move |s, _| s.report_people_file_name(period, facility, &wanted)).await?;
    let picked = blocking(move || Ok(files::save(&app, "Save the people behind the figure", name, Some(("CSV", &["csv"]))))).await?;
    let Some(path) = picked else { return Ok(None) };
    with_store(state, move |s, ctx| s.save_report_people(ctx, period, facility, &key, &path).map(|_| Some(path.display().to_string()))).await
}
