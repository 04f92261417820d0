//! The system's file dialogs. Every file the app reads or writes outside its own database is
//! one the person picked here, so nothing is written anywhere they did not choose.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// The folder of the last file picked: moving bundles to and from a USB stick is a run of
/// saves and opens in the same place, so each dialog starts where the previous one ended.
static LAST_FOLDER: Mutex<Option<PathBuf>> = Mutex::new(None);

fn dialog(app: &tauri::AppHandle, title: &str) -> FileDialogBuilder<tauri::Wry> {
    let last = LAST_FOLDER.lock().ok().and_then(|f| f.clone());
    // Without a folder GTK opens on "Recent", where typing a path searches instead of opening it.
    let start = last.or_else(|| app.path().home_dir().ok());
    let builder = app.dialog().file().set_title(title);
    match start {
        Some(folder) => builder.set_directory(folder),
        None => builder,
    }
}

fn remember(path: Option<PathBuf>) -> Option<PathBuf> {
    if let (Some(folder), Ok(mut last)) = (path.as_deref().and_then(Path::parent), LAST_FOLDER.lock()) {
        *last = Some(folder.to_path_buf());
    }
    path
}

/// A file name carrying the day it is saved, so a stick's files sort and tell apart by date:
/// `changes-2026-12-02.bundle`.
pub fn dated(stem: &str, extension: &str) -> String {
    format!("{stem}-{}.{extension}", bridger::WriteCtx::now().today)
}

/// Asks where to save `name`; `None` when the person cancels. Call from a blocking thread.
pub fn save(app: &tauri::AppHandle, title: &str, name: String, filter: Option<(&str, &[&str])>) -> Option<PathBuf> {
    let mut builder = dialog(app, title).set_file_name(name);
    if let Some((label, extensions)) = filter {
        builder = builder.add_filter(label, extensions);
    }
    remember(builder.blocking_save_file().and_then(|p| p.into_path().ok()))
}

/// Asks which file to open; `None` when the person cancels. Call from a blocking thread.
pub fn open(app: &tauri::AppHandle, title: &str) -> Option<PathBuf> {
    remember(dialog(app, title).blocking_pick_file().and_then(|p| p.into_path().ok()))
}

