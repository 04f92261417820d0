//! The desktop shell: each command is one call into the core. No rules live here.

mod commands;

use bridger::error::ErrorReport;
use bridger::paths::resolve_db;
use bridger::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The open store, or why it could not be opened (shown by the UI in place of any screen).
pub(crate) struct AppState {
    store: Result<Arc<Mutex<Store>>, ErrorReport>,
    db_path: PathBuf,
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
    let db_path = resolve_db(db_arg());
    let store = Store::open(&db_path).map(|s| Arc::new(Mutex::new(s))).map_err(|e| ErrorReport::from(&e));
    let result = tauri::Builder::default()
        .manage(AppState { store, db_path })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::setup_site,
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
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bridger: the window could not start: {e}");
        std::process::exit(1);
    }
}
