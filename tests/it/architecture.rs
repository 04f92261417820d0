//! The invariants of docs/ARCHITECTURE.md that a test can check by reading the source.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn core_sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    files.into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).expect("read"))).collect()
}

#[test]
fn the_core_knows_nothing_about_tauri() {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    assert!(!deps.contains("tauri"), "the core crate must not depend on tauri");
    for (path, text) in core_sources() {
        assert!(!text.contains("tauri::"), "{} uses tauri", path.display());
    }
}

#[test]
fn only_the_store_writes_sql() {
    let sql_calls = [".execute(", ".execute_batch(", ".prepare(", ".prepare_cached(", ".query_row(", "Connection::open"];
    for (path, text) in core_sources() {
        let in_store = path.components().any(|c| c.as_os_str() == "store");
        if !in_store {
            for call in sql_calls {
                assert!(!text.contains(call), "{} calls {call} outside src/store", path.display());
            }
        }
    }
}
