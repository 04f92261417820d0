//! The program report and the people behind its figures: each command is one call into the core.

use crate::call::{with_store, AppState, Reply};
use bridger::model::{parse, FacilityId, FigurePeople, ProgramReport};
use tauri::State;

/// The facility a screen chose; blank is every facility of the account.
fn chosen(facility_id: Option<String>) -> bridger::Result<Option<FacilityId>> {
    facility_id.filter(|f| !f.is_empty()).map(|f| f.parse::<FacilityId>()).transpose()
}

#[tauri::command]
#[specta::specta]
pub async fn program_report(state: State<'_, AppState>, from: String, to: String, facility_id: Option<String>) -> Reply<ProgramReport> {
    with_store(state, move |s, _| s.program_report(parse::date("from", &from)?, parse::date("to", &to)?, chosen(facility_id)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn program_report_people(state: State<'_, AppState>, from: String, to: String, facility_id: Option<String>, key: String) -> Reply<FigurePeople> {
    with_store(state, move |s, ctx| s.program_report_people(ctx, parse::date("from", &from)?, parse::date("to", &to)?, chosen(facility_id)?, &key)).await
}
