//! Group commands: staff directory, group series and rosters, the week, meetings, roll call and
//! attendance. Each is one call into the core.

use crate::call::{with_store, AppState, Reply};
use bridger::model::{parse, FacilityId, GroupId, GroupInput, LocationId, Meeting, ParticipantId, Staff, StaffInput};
use bridger::store::{AttendanceHistory, Group, MeetingAttendance, MeetingKey, MeetingMove, RollCall, RollCallInput, WeekView};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn staff_list(state: State<'_, AppState>, facility_id: String) -> Reply<Vec<Staff>> {
    with_store(state, move |s, _| s.staff(facility_id.parse::<FacilityId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn staff_add(state: State<'_, AppState>, input: StaffInput) -> Reply<Staff> {
    with_store(state, move |s, ctx| s.add_staff(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn groups_list(state: State<'_, AppState>, facility_id: String) -> Reply<Vec<Group>> {
    with_store(state, move |s, _| s.groups(facility_id.parse::<FacilityId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn group_save(state: State<'_, AppState>, group_id: Option<String>, input: GroupInput) -> Reply<Group> {
    with_store(state, move |s, ctx| s.save_group(ctx, group_id.as_deref().map(str::parse::<GroupId>).transpose()?, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn group_member_add(state: State<'_, AppState>, group_id: String, participant_id: String) -> Reply<Group> {
    with_store(state, move |s, ctx| s.add_member(ctx, group_id.parse::<GroupId>()?, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn group_member_remove(state: State<'_, AppState>, group_id: String, participant_id: String) -> Reply<Group> {
    with_store(state, move |s, ctx| s.remove_member(ctx, group_id.parse::<GroupId>()?, participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn week_view(state: State<'_, AppState>, facility_id: String, from: String, location_id: Option<String>) -> Reply<WeekView> {
    with_store(state, move |s, _| {
        let location = location_id.as_deref().filter(|l| !l.is_empty()).map(str::parse::<LocationId>).transpose()?;
        s.week(facility_id.parse::<FacilityId>()?, parse::date("from", &from)?, location)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn meeting_move(state: State<'_, AppState>, key: MeetingKey, to: MeetingMove) -> Reply<Meeting> {
    with_store(state, move |s, ctx| s.move_meeting(ctx, &key, &to)).await
}

#[tauri::command]
#[specta::specta]
pub async fn meeting_cancel(state: State<'_, AppState>, key: MeetingKey, reason: String) -> Reply<Meeting> {
    with_store(state, move |s, ctx| s.cancel_meeting(ctx, &key, &reason)).await
}

#[tauri::command]
#[specta::specta]
pub async fn meeting_add(state: State<'_, AppState>, group_id: String, at: MeetingMove) -> Reply<Meeting> {
    with_store(state, move |s, ctx| s.add_meeting(ctx, group_id.parse::<GroupId>()?, &at)).await
}

#[tauri::command]
#[specta::specta]
pub async fn roll_call(state: State<'_, AppState>, key: MeetingKey) -> Reply<RollCall> {
    with_store(state, move |s, ctx| s.roll_call(&key, ctx.today)).await
}

#[tauri::command]
#[specta::specta]
pub async fn roll_call_save(state: State<'_, AppState>, key: MeetingKey, input: RollCallInput) -> Reply<RollCall> {
    with_store(state, move |s, ctx| s.save_roll_call(ctx, &key, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn attendance_history(state: State<'_, AppState>, participant_id: String) -> Reply<AttendanceHistory> {
    with_store(state, move |s, _| s.attendance_history(participant_id.parse::<ParticipantId>()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn group_attendance(state: State<'_, AppState>, group_id: String) -> Reply<Vec<MeetingAttendance>> {
    with_store(state, move |s, _| s.group_attendance(group_id.parse::<GroupId>()?)).await
}

/// Records that the week's calendar is being printed, before the page is printed.
#[tauri::command]
#[specta::specta]
pub async fn week_print_recorded(state: State<'_, AppState>, facility_id: String, from: String) -> Reply<()> {
    with_store(state, move |s, ctx| s.record_week_print(ctx, facility_id.parse::<FacilityId>()?, parse::date("from", &from)?)).await
}
