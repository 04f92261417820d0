//! The desktop shell: each command is one call into the core. No rules live here: signing in,
//! locking and the idle time are the core's workstation; what a command may do, the core's store.

mod admin;
mod call;
mod duplicates;
mod files;
mod groups;
mod participants;
mod peer;
mod reentry;
mod reports;
mod rosters;
mod session;
mod staff;
mod sync;
mod today;
mod transfers;

use bridger::paths::{resolve_db, SiteFiles};
use bridger::site::Workstation;
use call::AppState;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

include!(concat!(env!("OUT_DIR"), "/commands.rs"));

/// Where the generated bindings live in the UI's sources.
pub const BINDINGS: &str = "../ui/src/backend/bindings.ts";

/// A word of the core's vocabulary and its label, as the UI's lists and choices show it.
#[derive(serde::Serialize)]
struct Choice {
    id: &'static str,
    name: &'static str,
}

fn choices<T: Copy>(all: &[T], id: fn(T) -> &'static str, name: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|t| Choice { id: id(*t), name: name(*t) }).collect()
}

/// Every command the window may call, with the types they take and give, and the core's words
/// with their labels: what Tauri registers and what the UI's bindings are generated from
/// (ADR 0010).
pub fn commands() -> tauri_specta::Builder<tauri::Wry> {
    use bridger::auth::Role;
    use bridger::model::{
        Area, Cadence, CeTopic, ContactKind, CredentialKind, Dimension, EmployerKind, FollowUpPoint, FollowUpRule, FollowUpState, GoalStatus, Intercept, ItemStatus, MomentKind, Outcome, PeerRole, TransferState, ProgramKind, ReadinessAnswer,
        ReferralStatus, ResourceKind, Setting, Status, StepStatus, SupervisionFunction, SupervisionSetting, SupportType, Window,
    };
    use bridger::reports::packet::Language;
    use bridger::roster::compare::RecordField;
    use bridger::roster::{DateFormat, Field as RosterField};
    let roles: Vec<serde_json::Value> = Role::ALL.iter().map(|r| serde_json::json!({ "id": r.as_str(), "name": r.label(), "what": r.summary() })).collect();
    tauri_specta::Builder::<tauri::Wry>::new()
        .constant("AREAS", choices(&Area::ALL, Area::as_str, Area::label))
        .constant("CADENCES", choices(Cadence::ALL, Cadence::as_str, Cadence::label))
        .constant("CE_TOPICS", choices(CeTopic::ALL, CeTopic::as_str, CeTopic::label))
        .constant("CREDENTIAL_KINDS", choices(CredentialKind::ALL, CredentialKind::as_str, CredentialKind::label))
        .constant("EMPLOYER_KINDS", choices(EmployerKind::ALL, EmployerKind::as_str, EmployerKind::label))
        .constant("PEER_ROLES", choices(PeerRole::ALL, PeerRole::as_str, PeerRole::label))
        .constant("READINESS_ANSWERS", choices(ReadinessAnswer::ALL, ReadinessAnswer::as_str, ReadinessAnswer::label))
        .constant("SUPERVISION_FUNCTIONS", choices(SupervisionFunction::ALL, SupervisionFunction::as_str, SupervisionFunction::label))
        .constant("SUPERVISION_SETTINGS", choices(SupervisionSetting::ALL, SupervisionSetting::as_str, SupervisionSetting::label))
        .constant("CONTACT_KINDS", choices(ContactKind::ALL, ContactKind::as_str, ContactKind::label))
        .constant("CONTACT_SETTINGS", choices(Setting::ALL, Setting::as_str, Setting::label))
        .constant("DIMENSIONS", choices(Dimension::ALL, Dimension::as_str, Dimension::label))
        .constant("GOAL_STATUSES", choices(GoalStatus::ALL, GoalStatus::as_str, GoalStatus::label))
        .constant("PROGRAM_KINDS", choices(ProgramKind::ALL, ProgramKind::as_str, ProgramKind::label))
        .constant("OUTCOMES", choices(Outcome::ALL, Outcome::as_str, Outcome::label))
        .constant("TRANSFER_STATES", choices(TransferState::ALL, TransferState::as_str, TransferState::label))
        .constant("FOLLOW_UP_POINTS", choices(FollowUpPoint::ALL, FollowUpPoint::as_str, FollowUpPoint::label))
        .constant("FOLLOW_UP_STATES", choices(FollowUpState::ALL, FollowUpState::as_str, FollowUpState::label))
        .constant("FOLLOW_UP_RULES", choices(FollowUpRule::ALL, FollowUpRule::as_str, FollowUpRule::label))
        .constant("INTERCEPTS", choices(Intercept::ALL, Intercept::as_str, Intercept::label))
        .constant("MOMENT_KINDS", choices(MomentKind::ALL, MomentKind::as_str, MomentKind::label))
        .constant("ROSTER_FIELDS", choices(RosterField::ALL, RosterField::as_str, RosterField::label))
        .constant("RECORD_FIELDS", choices(RecordField::ALL, RecordField::as_str, RecordField::label))
        .constant("DATE_FORMATS", choices(&DateFormat::ALL, DateFormat::as_str, DateFormat::label))
        .constant("STEP_STATUSES", choices(StepStatus::ALL, StepStatus::as_str, StepStatus::label))
        .constant("HIGH_RISK_DAYS", bridger::model::HIGH_RISK_DAYS)
        .constant("TEXT_SIZES", bridger::auth::TextSize::ALL)
        .constant("LANGUAGES", choices(&Language::ALL, Language::code, Language::label))
        .constant("ITEM_STATUSES", choices(&ItemStatus::ALL, ItemStatus::as_str, ItemStatus::label))
        .constant("REFERRAL_STATUSES", choices(&ReferralStatus::ALL, ReferralStatus::as_str, ReferralStatus::label))
        .constant("RESOURCE_KINDS", choices(&ResourceKind::ALL, ResourceKind::as_str, ResourceKind::label))
        .constant("ROLES", roles)
        .constant("STATUSES", choices(&Status::ALL, Status::as_str, Status::label))
        .constant("SUPPORT_TYPES", choices(&SupportType::ALL, SupportType::as_str, SupportType::label))
        .constant("WINDOWS", choices(&Window::BY_URGENCY, Window::as_str, Window::label))
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
        // Times in milliseconds and record counts stay far below 2^53.
        .dangerously_cast_bigints_to_number()
        // One TypeScript type per Rust type: the UI sends whole objects, so the optional fields
        // serde fills in on the way in need no second shape.
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            session::app_info,
            session::setup_site,
            session::sign_in,
            session::unlock,
            session::lock,
            session::sign_out,
            session::window_title,
            session::preferences_set,
            session::change_password,
            today::my_day,
            participants::facilities_list,
            participants::facility_create,
            participants::location_add,
            participants::roster_page,
            participants::roster_search,
            participants::participant_get,
            participants::participant_enroll,
            participants::participant_update,
            participants::participant_set_status,
            participants::participant_delete,
            participants::participant_assign_peer,
            duplicates::duplicates_list,
            duplicates::merges_list,
            duplicates::merge_participants,
            duplicates::merge_undo,
            transfers::transfers_list,
            transfers::transfer_destinations,
            transfers::transfers_of,
            transfers::transfer_request,
            transfers::transfer_answer,
            participants::episodes_list,
            participants::episode_save,
            participants::episode_remove,
            participants::phase_add,
            participants::phase_remove,
            reports::program_report,
            reports::program_report_people,
            reports::program_report_save,
            reports::program_report_people_save,
            reports::follow_ups_due,
            rosters::roster_sources,
            rosters::roster_pick,
            rosters::roster_preview,
            rosters::roster_apply,
            rosters::roster_export,
            peer::caseload,
            peer::caseload_peers,
            peer::contact_save,
            peer::contacts_list,
            peer::contact_note_open,
            peer::check_ins,
            peer::check_in_record,
            peer::check_ins_print_recorded,
            peer::instruments_list,
            peer::instrument_load,
            peer::recovery_plan,
            peer::goal_save,
            peer::step_save,
            peer::timeline,
            admin::accounts_list,
            admin::account_create,
            admin::account_update,
            admin::account_deactivate,
            admin::account_reset_password,
            admin::settings_set,
            admin::backup_now,
            admin::backups_list,
            admin::audit_page,
            admin::audit_verify,
            admin::audit_anchor,
            admin::audit_check_anchor,
            admin::audit_export,
            groups::staff_list,
            groups::staff_add,
            staff::staff_record,
            staff::staff_record_save,
            staff::credential_add,
            staff::credential_remove,
            staff::ce_hours_add,
            staff::ce_hours_remove,
            staff::supervision_log,
            staff::supervision_report,
            staff::evaluation_add,
            staff::mentor_summary,
            staff::mentor_summary_save_pdf,
            staff::readiness_checklist,
            staff::readiness_list,
            staff::readiness_open,
            staff::readiness_start,
            staff::readiness_answer,
            staff::readiness_save_pdf,
            groups::groups_list,
            groups::group_save,
            groups::group_member_add,
            groups::group_member_remove,
            groups::week_view,
            groups::meeting_move,
            groups::meeting_cancel,
            groups::meeting_add,
            groups::roll_call,
            groups::roll_call_save,
            groups::attendance_history,
            groups::group_attendance,
            groups::week_print_recorded,
            reentry::reentry_pipeline,
            reentry::reentry_plan,
            reentry::reentry_start_plan,
            reentry::reentry_save_details,
            reentry::reentry_save_item,
            reentry::reentry_save_appointment,
            reentry::reentry_save_referral,
            reentry::consent_add,
            reentry::consent_revoke,
            reentry::resources_list,
            reentry::resource_save,
            reentry::plan_template,
            reentry::template_item_save,
            reentry::template_item_remove,
            reentry::packet_view,
            reentry::packet_save_pdf,
            reentry::handoff_export,
            reentry::handoff_confirm,
            reentry::handoffs_open,
            sync::site_card,
            sync::site_card_save,
            sync::peer_card_open,
            sync::peers_list,
            sync::peer_trust,
            sync::peer_remove,
            sync::bundle_export,
            sync::bundle_import,
            sync::receipt_save,
            sync::receipt_import,
            sync::conflicts_list,
            sync::conflict_resolve,
        ])
}

/// The bindings as TypeScript, as the UI's file must hold them.
pub fn bindings_text() -> String {
    // The exporter writes a file; each call gets its own folder, as tests call it at once.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("bridger-bindings-{}-{call}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("bindings.ts");
    commands().export(specta_typescript::Typescript::default().header("// Generated from the desktop shell's commands by `make bindings`: do not edit.\n"), &path).expect("the bindings export");
    let text = std::fs::read_to_string(&path).expect("the exported bindings");
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// `--db PATH` from the command line, if given.
fn db_arg() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            return Some(PathBuf::from(path));
        }
    }
    None
}

pub fn run() {
    let files = SiteFiles::for_db(resolve_db(db_arg()));
    let commands = commands();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState { workstation: Arc::new(Mutex::new(Workstation::new(files))) })
        .invoke_handler(commands.invoke_handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bridger: the window could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI's bindings are generated from these commands; a stale file fails here. Set
    /// `BRIDGER_WRITE_BINDINGS=1` (what `make bindings` does) to write it anew.
    #[test]
    fn the_ui_bindings_are_the_ones_these_commands_give() {
        let fresh = bindings_text();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
        if std::env::var_os("BRIDGER_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write the bindings");
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(checked_in == fresh, "{} is stale: run `make bindings` and commit it", path.display());
    }

    /// Every function marked as a command is registered, so none is granted but unreachable.
    #[test]
    fn every_command_in_the_sources_is_registered() {
        let text = bindings_text();
        for name in COMMANDS {
            assert!(text.contains(&format!("\"{name}\"")), "the command {name} is not registered in commands()");
        }
    }
}
