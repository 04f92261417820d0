use crate::fixture::{file_store, person, raw, PASSWORD};
use bridger::site;
use bridger::store::SCHEMA_VERSION;
use bridger::ErrorCode;

#[test]
fn a_new_database_gets_the_current_schema_and_passes_its_check() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, _, files) = file_store(&dir);
    let report = s.check().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(report.site.unwrap().name, "Test Site");
    let mode: String = raw(&files).query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_from_a_newer_bridger_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ctx, _, files) = file_store(&dir);
    drop(s);
    raw(&files).pragma_update(None, "user_version", SCHEMA_VERSION + 3).unwrap();
    let e = site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::SchemaTooNew);
    assert!(e.to_string().contains("newer Bridger"), "{e}");
    let version: i64 = raw(&files).query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION + 3);
}

#[test]
fn a_damaged_database_is_moved_aside_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ctx, _, files) = file_store(&dir);
    drop(s);
    let mut bytes = std::fs::read(&files.db).unwrap();
    let page = 4096;
    for b in &mut bytes[2 * page + 100..2 * page + 200] {
        *b ^= 0x5a;
    }
    std::fs::write(&files.db, &bytes).unwrap();
    let e = site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::Quarantined, "{e}");
    assert!(e.to_string().contains("bridger restore"), "{e}");
    assert!(!files.db.exists());
    let moved: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("site.db.quarantined-")).collect();
    // The log and shared-memory files the failed opening left, if any, go with it.
    let (main, sidecars): (Vec<&String>, Vec<&String>) = moved.iter().partition(|n| !n.ends_with("-wal") && !n.ends_with("-shm"));
    assert_eq!(main.len(), 1, "{moved:?}");
    assert!(sidecars.iter().all(|n| n.starts_with(main[0].as_str())), "{moved:?}");
    assert_eq!(std::fs::read(dir.path().join(main[0])).unwrap(), bytes, "moved whole, byte for byte");
}

#[test]
fn an_unencrypted_database_is_refused_with_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ctx, _, files) = file_store(&dir);
    drop(s);
    std::fs::remove_file(&files.db).unwrap();
    rusqlite::Connection::open(&files.db).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let e = site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).err().expect("refused");
    assert!(e.to_string().contains("not encrypted"), "{e}");
    assert!(files.db.exists(), "left where it was");
}

#[test]
fn reopening_keeps_data_and_the_clock_keeps_rising() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, files) = file_store(&dir);
    let id = s.enroll(&ctx, &person(&f, "SMITH, Mary", "1")).unwrap().id;
    let mary = id.to_string();
    drop(s);
    let mut s = site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).unwrap();
    assert_eq!(s.view_participant(&ctx, id).unwrap().legal_name, "SMITH, Mary");
    // A workstation whose clock was set back an hour still stamps later changes later.
    let earlier = bridger::WriteCtx::fixed(1_795_521_600_000 - 3_600_000, crate::fixture::today(), 9);
    let ann = s.enroll(&earlier, &person(&f, "JONES, Ann", "2")).unwrap().id.to_string();
    let entries = s.journal_entries().unwrap();
    let stamps = |id: &str| entries.iter().filter(|j| j.record_id == id).map(|j| j.hlc).collect::<Vec<_>>();
    let (first, later) = (stamps(&mary), stamps(&ann));
    assert!(!first.is_empty() && !later.is_empty(), "both enrolments are journalled");
    assert!(later.iter().min() > first.iter().max(), "journal clocks must never go backwards");
}

#[test]
fn a_write_blocked_by_another_writer_says_so_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, files) = file_store(&dir);
    // Another process holds the write lock for longer than the store waits (five seconds).
    let other = raw(&files);
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Busy);
    assert!(e.to_string().contains("try again"), "{e}");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(s.roster_page(&Default::default(), 0, 10).unwrap().total, 0);
    s.enroll(&ctx, &person(&f, "SMITH, Mary", "B-1")).unwrap();
}
