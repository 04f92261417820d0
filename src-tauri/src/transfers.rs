//! Transfers between the program's facilities: each command is one call into the core.

use crate::call::{with_store, AppState, Reply};
use bridger::model::{parse, Facility, ParticipantId, Transfer, TransferInput, TransferReply};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn transfers_list(state: State<'_, AppState>) -> Reply<Vec<Transfer>> {
    with_store(state, |s, ctx| s.transfers(ctx)).await
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_destinations(state: State<'_, AppState>) -> Reply<Vec<Facility>> {
    with_store(state, |s, _| s.transfer_destinations()).await
}

#[tauri::command]
#[specta::specta]
pub async fn transfers_of(state: State<'_, AppState>, participant_id: String) -> Reply<Vec<Transfer>> {
    with_store(state, move |s, ctx| s.transfers_of(ctx, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_request(state: State<'_, AppState>, participant_id: String, input: TransferInput) -> Reply<Transfer> {
    with_store(state, move |s, ctx| s.request_transfer(ctx, participant_id.parse::<ParticipantId>()?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_answer(state: State<'_, AppState>, id: String, reply: TransferReply) -> Reply<Transfer> {
    with_store(state, move |s, ctx| s.answer_transfer(ctx, parse::record_id("transfer", &id)?, &reply)).await
}
