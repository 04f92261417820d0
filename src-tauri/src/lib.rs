//! The desktop shell: each command is one call into the core. No rules live here.

mod commands;
mod files;
mod groups;
mod reentry;
mod session;
mod sync;

use bridger::paths::{resolve_db, SiteFiles};
use bridger::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The site's files and, while someone is signed in, the open store. Locking the screen closes
/// the store, so a locked workstation holds no open database.
pub(crate) struct AppState {
    files: SiteFiles,
    store: Arc<Mutex<Option<Store>>>,
    /// Who locked the screen (idle or by choice), so only they can unlock it.
    locked_by: Mutex<Option<String>>,
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
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState { files, store: Arc::new(Mutex::new(None)), locked_by: Mutex::new(None) })
        .invoke_handler(tauri::generate_handler![
            session::app_info,
            reentry::reentry_today,
            reentry::handoff_export,
            reentry::handoff_confirm,
            reentry::handoffs_open,
            reentry::packet_view,
            reentry::packet_save_pdf,
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
            session::setup_site,
            session::sign_in,
            session::unlock,
            session::lock,
            session::sign_out,
            session::change_password,
            commands::facilities_list,
            commands::facility_create,
            commands::location_add,
            commands::roster_page,
            commands::roster_search,
            commands::participant_get,
            commands::participant_enroll,
            commands::participant_update,
            commands::participant_set_status,
            commands::participant_delete,
            commands::accounts_list,
            commands::account_create,
            commands::account_update,
            commands::account_deactivate,
            commands::account_reset_password,
            commands::settings_set,
            commands::backup_now,
            commands::backups_list,
            commands::audit_page,
            commands::audit_verify,
            commands::audit_export,
            groups::staff_list,
            groups::staff_add,
            groups::groups_list,
            groups::group_save,
            groups::group_member_add,
            groups::group_member_remove,
            groups::week_view,
            groups::session_move,
            groups::session_cancel,
            groups::session_add,
            groups::roll_call,
            groups::roll_call_save,
            groups::attendance_history,
            groups::group_attendance,
            groups::print_recorded,
            sync::site_card,
            sync::site_card_save,
            sync::peer_card_open,
            sync::peers_list,
            sync::peer_trust,
            sync::bundle_export,
            sync::bundle_import,
            sync::receipt_save,
            sync::receipt_import,
            sync::conflicts_list,
            sync::conflict_resolve,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bridger: the window could not start: {e}");
        std::process::exit(1);
    }
}
