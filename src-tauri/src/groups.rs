//! Group commands: staff directory, group series and rosters, the week, sessions, roll call and
//! attendance. Each is one call into the core.

use crate::commands::{ctx, report, with_store, Reply};
use crate::AppState;
use bridger::model::{FacilityId, GroupId, GroupInput, GroupSession, LocationId, ParticipantId, Staff, StaffInput};
use bridger::store::{AttendanceHistory, Group, RollCall, RollCallInput, SessionAttendance, SessionKey, SessionMove, WeekView};
use chrono::NaiveDate;
use tauri::State;

pub(crate) fn id<T: std::str::FromStr<Err = bridger::Error>>(text: &str) -> Reply<T> {
    text.parse::<T>().map_err(report)
}

#[tauri::command]
pub async fn staff_list(state: State<'_, AppState>, facility_id: String) -> Reply<Vec<Staff>> {
    let facility: FacilityId = id(&facility_id)?;
    with_store(state, move |s| s.staff(facility)).await
}

#[tauri::command]
pub async fn staff_add(state: State<'_, AppState>, input: StaffInput) -> Reply<Staff> {
    with_store(state, move |s| s.add_staff(&ctx(), &input)).await
}

#[tauri::command]
pub async fn groups_list(state: State<'_, AppState>, facility_id: String) -> Reply<Vec<Group>> {
    let facility: FacilityId = id(&facility_id)?;
    with_store(state, move |s| s.groups(facility)).await
}

#[tauri::command]
pub async fn group_save(state: State<'_, AppState>, group_id: Option<String>, input: GroupInput) -> Reply<Group> {
    let group = group_id.as_deref().map(id::<GroupId>).transpose()?;
    with_store(state, move |s| s.save_group(&ctx(), group, &input)).await
}

#[tauri::command]
pub async fn group_member_add(state: State<'_, AppState>, group_id: String, participant_id: String) -> Reply<Group> {
    let (group, person): (GroupId, ParticipantId) = (id(&group_id)?, id(&participant_id)?);
    with_store(state, move |s| s.add_member(&ctx(), group, person)).await
}

#[tauri::command]
pub async fn group_member_remove(state: State<'_, AppState>, group_id: String, participant_id: String) -> Reply<Group> {
    let (group, person): (GroupId, ParticipantId) = (id(&group_id)?, id(&participant_id)?);
    with_store(state, move |s| s.remove_member(&ctx(), group, person)).await
}

#[tauri::command]
pub async fn week_view(state: State<'_, AppState>, facility_id: String, from: NaiveDate, location_id: Option<String>) -> Reply<WeekView> {
    let facility: FacilityId = id(&facility_id)?;
    let location = location_id.as_deref().filter(|l| !l.is_empty()).map(id::<LocationId>).transpose()?;
    with_store(state, move |s| s.week(facility, from, location)).await
}

#[tauri::command]
pub async fn session_move(state: State<'_, AppState>, key: SessionKey, to: SessionMove) -> Reply<GroupSession> {
    with_store(state, move |s| s.move_session(&ctx(), &key, &to)).await
}

#[tauri::command]
pub async fn session_cancel(state: State<'_, AppState>, key: SessionKey, reason: String) -> Reply<GroupSession> {
    with_store(state, move |s| s.cancel_session(&ctx(), &key, &reason)).await
}

#[tauri::command]
pub async fn session_add(state: State<'_, AppState>, group_id: String, at: SessionMove) -> Reply<GroupSession> {
    let group: GroupId = id(&group_id)?;
    with_store(state, move |s| s.add_session(&ctx(), group, &at)).await
}

#[tauri::command]
pub async fn roll_call(state: State<'_, AppState>, key: SessionKey) -> Reply<RollCall> {
    with_store(state, move |s| s.roll_call(&key)).await
}

#[tauri::command]
pub async fn roll_call_save(state: State<'_, AppState>, key: SessionKey, input: RollCallInput) -> Reply<RollCall> {
    with_store(state, move |s| s.save_roll_call(&ctx(), &key, &input)).await
}

#[tauri::command]
pub async fn attendance_history(state: State<'_, AppState>, participant_id: String) -> Reply<AttendanceHistory> {
    let person: ParticipantId = id(&participant_id)?;
    with_store(state, move |s| s.attendance_history(person)).await
}

#[tauri::command]
pub async fn group_attendance(state: State<'_, AppState>, group_id: String) -> Reply<Vec<SessionAttendance>> {
    let group: GroupId = id(&group_id)?;
    with_store(state, move |s| s.group_attendance(group)).await
}

#[tauri::command]
pub async fn print_recorded(state: State<'_, AppState>, what: String) -> Reply<()> {
    with_store(state, move |s| s.record_print(&ctx(), &what)).await
}
