//! Likely duplicates and merging two records of one person: each command is one call into the
//! core.

use crate::call::{with_store, AppState, Reply};
use bridger::model::{parse, LikelyDuplicates, MergeInput, ParticipantMerge};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn duplicates_list(state: State<'_, AppState>) -> Reply<LikelyDuplicates> {
    with_store(state, |s, ctx| s.likely_duplicates(ctx)).await
}

#[tauri::command]
#[specta::specta]
pub async fn merges_list(state: State<'_, AppState>) -> Reply<Vec<ParticipantMerge>> {
    with_store(state, |s, ctx| s.participant_merges(ctx)).await
}

#[tauri::command]
#[specta::specta]
pub async fn merge_participants(state: State<'_, AppState>, input: MergeInput) -> Reply<ParticipantMerge> {
    with_store(state, move |s, ctx| s.merge_participants(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn merge_undo(state: State<'_, AppState>, id: String, reason: String) -> Reply<ParticipantMerge> {
    with_store(state, move |s, ctx| s.undo_merge(ctx, parse::record_id("merge", &id)?, &reason)).await
}
