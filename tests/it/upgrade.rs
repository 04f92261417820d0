//! Upgrades that lose nothing. `tests/upgrade/vN` holds a small demo site as the Bridger of
//! schema version N left it on disk (`tests/upgrade/freeze` made each one with that build). This
//! build opens every one of them the way a person does, by signing in, and must keep every row of
//! every table, keep the audit chain whole, keep a copy from before the upgrade and say so, and
//! end with exactly the schema a new site gets.

use crate::fixture::{self, file_store};
use bridger::auth::KeyFile;
use bridger::paths::SiteFiles;
use bridger::site;
use bridger::store::SCHEMA_VERSION;
use bridger::WriteCtx;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The demo's made-up account, as `tests/upgrade/freeze` created it.
const USER: &str = "demo";
const PASSWORD: &str = "peer-recovery-2026";

/// The schema version before encryption; its sites were test builds and are refused (ADR 0003).
const PLAIN: i64 = 1;

/// A day after every frozen site was made, as on a workstation that updates Bridger later.
fn later() -> WriteCtx {
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
    WriteCtx::fixed(day.and_hms_opt(12, 0, 0).expect("noon").and_utc().timestamp_millis() as u64, day, 11)
}

fn frozen(version: i64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/upgrade/v{version}"))
}

/// A working copy of the frozen site, so the committed files are never touched.
fn copy_of(version: i64, dir: &tempfile::TempDir) -> SiteFiles {
    let files = SiteFiles::for_db(dir.path().join("site.db"));
    let from = SiteFiles::for_db(frozen(version).join("site.db"));
    std::fs::copy(&from.db, &files.db).unwrap_or_else(|e| panic!("version {version} has no frozen site ({e}): run tests/upgrade/freeze with that build"));
    if version > PLAIN {
        std::fs::copy(&from.key, &files.key).expect("the frozen key file");
    }
    files
}

fn raw(files: &SiteFiles) -> rusqlite::Connection {
    let key = KeyFile::load(&files.key).expect("key file").unwrap_user(USER, PASSWORD).expect("the demo's key");
    let conn = rusqlite::Connection::open(&files.db).expect("open");
    conn.execute_batch(&format!("PRAGMA key = {};", key.sqlcipher_literal().as_str())).expect("key");
    conn
}

/// Bookkeeping that opening a site moves on by design: its clock and the head of its audit chain.
const MOVES_ON: &[(&str, &str)] = &[("site", "hlc_last"), ("site", "audit_head_seq"), ("site", "audit_head_hash")];

/// Columns a migration dropped by design: the order in which a site learned of its journal
/// entries, which nothing read (0012).
const DROPPED: &[(&str, &str)] = &[("journal", "seq")];

/// Tables whose rows a migration moved into another table, and the query that shows them, row
/// for row, in the newer schema: each record's field clocks became one JSON object (0012),
/// which Bridger packs anew when the record next changes (a site's own clocks since are packed).
const MOVED: &[(&str, &str)] = &[(
    "field_clocks",
    "SELECT c.tbl AS tbl, c.record_id AS record_id, f.key AS field, f.value ->> 0 AS hlc, f.value ->> 1 AS site_no
     FROM (SELECT * FROM record_clocks WHERE typeof(clocks) = 'text') c, json_each(c.clocks) f",
)];

/// One table's columns, and its rows as text (each value with its SQLite type), counted.
struct Table {
    columns: Vec<String>,
    rows: BTreeMap<Vec<String>, usize>,
}

/// Every stored table, except the search index's own (rebuilt from `participants`, not data).
fn tables(conn: &rusqlite::Connection) -> BTreeMap<String, Table> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'participants_fts%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut tables: BTreeMap<String, Table> = names.iter().map(|name| (name.clone(), table(conn, name))).collect();
    for (name, query) in MOVED {
        if !tables.contains_key(*name) && conn.prepare(query).is_ok() {
            tables.insert(name.to_string(), rows(conn, query));
        }
    }
    tables
}

fn table(conn: &rusqlite::Connection, name: &str) -> Table {
    let columns: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{name}') ORDER BY cid"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
        .into_iter()
        .filter(|c| !MOVES_ON.contains(&(name, c.as_str())) && !DROPPED.contains(&(name, c.as_str())))
        .collect();
    let list = columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    rows(conn, &format!("SELECT {list} FROM \"{name}\""))
}

/// The rows a query returns, with its columns' names.
fn rows(conn: &rusqlite::Connection, query: &str) -> Table {
    let mut stmt = conn.prepare(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = BTreeMap::new();
    let mut query = stmt.query([]).unwrap();
    while let Some(row) = query.next().unwrap() {
        let values = (0..columns.len()).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect();
        *rows.entry(values).or_insert(0) += 1;
    }
    Table { columns, rows }
}

/// What was in `before` that is not in `after`: a table or a column gone, or rows that no longer
/// hold the values they held (looked at through the columns `before` had).
fn lost(before: &BTreeMap<String, Table>, after: &BTreeMap<String, Table>) -> Vec<String> {
    let mut lost = Vec::new();
    for (name, old) in before {
        let Some(new) = after.get(name) else {
            lost.push(format!("table {name}"));
            continue;
        };
        let Some(positions) = old.columns.iter().map(|c| new.columns.iter().position(|n| n == c)).collect::<Option<Vec<_>>>() else {
            lost.push(format!("a column of {name}"));
            continue;
        };
        let mut seen: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for (row, n) in &new.rows {
            *seen.entry(positions.iter().map(|&i| row[i].clone()).collect()).or_insert(0) += n;
        }
        for (row, n) in &old.rows {
            let kept = seen.get(row).copied().unwrap_or(0);
            if kept < *n {
                lost.push(format!("{name}: {row:?} ({n} before, {kept} after)"));
            }
        }
    }
    lost
}

fn schema(conn: &rusqlite::Connection) -> Vec<(String, String, String)> {
    conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn the_schema_of_a_new_site() -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _, files) = file_store(&dir);
    drop(store);
    schema(&fixture::raw(&files))
}

#[test]
fn every_landed_schema_version_has_a_frozen_site() {
    for version in 1..=SCHEMA_VERSION {
        assert!(
            frozen(version).join("site.db").is_file(),
            "schema version {version} has landed but tests/upgrade/v{version} has no site: run tests/upgrade/freeze target/debug/bridger {version} and commit it"
        );
    }
    assert!(!frozen(SCHEMA_VERSION + 1).exists(), "a frozen site is newer than this build's schema");
}

#[test]
fn every_older_site_upgrades_to_the_schema_of_a_new_one_losing_nothing() {
    let fresh = the_schema_of_a_new_site();
    for version in PLAIN + 1..=SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let files = copy_of(version, &dir);
        let (before, old_version) = {
            let conn = raw(&files);
            (tables(&conn), conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap())
        };
        assert_eq!(old_version, version, "tests/upgrade/v{version} holds a site of another version");
        assert!(before["participants"].rows.len() >= 12, "version {version}: the frozen site is not the demo it should be");

        let opened = site::sign_in(&files, &later(), USER, PASSWORD).unwrap_or_else(|e| panic!("version {version} did not open: {e}"));
        let store = opened.store;
        let conn = raw(&files);
        let after = tables(&conn);
        assert_eq!(lost(&before, &after), Vec::<String>::new(), "version {version} lost data in the upgrade");
        assert_eq!(schema(&conn), fresh, "version {version} upgraded to a schema that differs from a new site's");
        let verified = store.audit_verify().unwrap();
        assert!(verified.ok, "version {version}: the audit chain broke: {:?}", verified.problems);
        assert!(verified.entries as usize > before["audit_log"].rows.len(), "version {version}: the sign-in was not audited");
        assert!(store.check().unwrap().ok, "version {version}: the upgraded database fails its check");

        let kept: Vec<PathBuf> = std::fs::read_dir(&files.backups)
            .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().contains("site-upgrade-") && p.extension().is_some_and(|x| x == "db")).collect())
            .unwrap_or_default();
        if version == SCHEMA_VERSION {
            assert!(kept.is_empty(), "a site already current was copied as if upgraded");
            assert!(!opened.notices.iter().any(|n| n.en.contains("upgraded")), "{:?}", opened.notices);
            continue;
        }
        let said = format!("upgraded the site's database from version {version} to {SCHEMA_VERSION}");
        assert!(opened.notices.iter().any(|n| n.en.contains(&said) && n.en.contains("site-upgrade-")), "version {version}: not told: {:?}", opened.notices);
        assert_eq!(kept.len(), 1, "version {version}: one copy is kept before the upgrade");
        let copy = SiteFiles::for_db(&kept[0]);
        let copy_conn = raw(&copy);
        assert_eq!(copy_conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(), version);
        let copied = tables(&copy_conn);
        assert_eq!(lost(&before, &copied), Vec::<String>::new(), "version {version}: the copy kept before the upgrade is not the site as it was");
        assert_eq!(lost(&copied, &before), Vec::<String>::new(), "version {version}: the copy kept before the upgrade holds more than the site did");
        let trail = store.audit_page(&bridger::store::AuditFilter::default(), 0, 20).unwrap();
        assert!(
            trail.entries.iter().any(|e| e.action == "backup" && e.detail.contains(&format!("before upgrading the database from version {version} to {SCHEMA_VERSION}"))),
            "version {version}: the copy kept before the upgrade is not in the audit trail"
        );
    }
}

#[test]
fn a_site_from_before_encryption_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let files = copy_of(PLAIN, &dir);
    let bytes = std::fs::read(&files.db).unwrap();
    let e = site::sign_in(&files, &later(), USER, PASSWORD).map(|s| s.store).err().expect("refused");
    assert!(e.to_string().contains("not encrypted"), "{e}");
    assert_eq!(std::fs::read(&files.db).unwrap(), bytes, "the refused file was changed");
    assert!(!files.backups.exists(), "a refused file was copied");
}
