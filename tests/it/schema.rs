use bridger::store::SCHEMA_VERSION;
use bridger::{ErrorCode, Store};

#[test]
fn a_new_database_gets_the_current_schema_and_passes_its_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let s = Store::open(&path).unwrap();
    let report = s.check().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.site.is_none());
    let mode: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_from_a_newer_bridger_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 3).unwrap();
    drop(conn);
    let e = Store::open(&path).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::SchemaTooNew);
    assert!(e.to_string().contains("newer Bridger"), "{e}");
    let version: i64 = rusqlite::Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION + 3);
}

#[test]
fn a_file_that_is_not_a_database_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "these are not the records you are looking for, padded to a page ".repeat(80)).unwrap();
    let e = Store::open(&path).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::Io);
    assert!(e.to_string().contains("not a Bridger database"), "{e}");
}

#[test]
fn reopening_keeps_data_and_the_clock_keeps_rising() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site.db");
    let (id, facility) = {
        let mut s = Store::open(&path).unwrap();
        let ctx = crate::fixture::ctx();
        s.init_site(&ctx, "Site").unwrap();
        let f = s
            .create_facility(&ctx, &bridger::model::NewFacility { name: "Jail".into(), code: "J".into(), units: vec![], rooms: vec![] })
            .unwrap();
        let mut p = crate::fixture::person(&f, "SMITH, Mary", "1");
        p.unit_id.clear();
        (s.enroll(&ctx, &p).unwrap().id, f)
    };
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.participant(id).unwrap().legal_name, "SMITH, Mary");
    // A workstation whose clock was set back an hour still stamps later changes later.
    let earlier = bridger::WriteCtx::fixed("test", 1_795_521_600_000 - 3_600_000, crate::fixture::today(), 9);
    let mut p = crate::fixture::person(&facility, "JONES, Ann", "2");
    p.unit_id.clear();
    s.enroll(&earlier, &p).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rising: bool = conn
        .query_row(
            "SELECT count(*) = 0 FROM journal a JOIN journal b ON b.seq = a.seq + 1 WHERE b.hlc < a.hlc",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(rising, "journal clocks must never go backwards");
}

#[test]
fn a_write_blocked_by_another_writer_says_so_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, path) = crate::fixture::file_store(&dir);
    // Another process holds the write lock for longer than the store waits (five seconds).
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = s.enroll(&ctx, &crate::fixture::person(&f, "SMITH, Mary", "B-1")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Busy);
    assert!(e.to_string().contains("try again"), "{e}");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(s.roster_page(&Default::default(), 0, 10).unwrap().total, 0);
    s.enroll(&ctx, &crate::fixture::person(&f, "SMITH, Mary", "B-1")).unwrap();
}
