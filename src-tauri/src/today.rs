//! The Today screen's one call: the signed-in person's day, as the core puts it together.

use crate::call::{with_store, AppState, Reply};
use bridger::store::DayView;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn my_day(state: State<'_, AppState>) -> Reply<DayView> {
    with_store(state, |s, ctx| s.my_day(ctx.today)).await
}
