//! `make bench`: what signing in costs. Deriving the key-wrapping key from a password with the
//! app's argon2id costs, and opening a 100,000-participant database (connection, SQLite's quick
//! check, the first roster page) encrypted with SQLCipher against the same data unencrypted, and
//! the core's whole sign-in path apart from argon2.

mod common;

use bridger::auth::{KdfParams, KeyFile};
use common::{data_dir, database, sign_in, PASSWORD, USER};
use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::Connection;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const SIZE: usize = 100_000;

/// The same data without encryption, exported once by SQLCipher itself.
fn plain_copy(db: &Path, key: &str) -> std::path::PathBuf {
    let plain = data_dir().join(format!("plain-{SIZE}.db"));
    if !plain.exists() {
        let conn = Connection::open(db).expect("open");
        conn.execute_batch(&format!("PRAGMA key = {key};")).expect("key");
        conn.execute(&format!("ATTACH DATABASE '{}' AS plain KEY ''", plain.display()), []).expect("attach");
        conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(())).expect("export");
        conn.execute_batch("DETACH DATABASE plain").expect("detach");
    }
    plain
}

/// What the app does to show the first screen after the key is known; `check` adds SQLite's
/// quick check, which reads every page.
fn open_and_show(path: &Path, key: Option<&str>, check: bool) -> usize {
    let conn = Connection::open(path).expect("open");
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = {key};")).expect("key");
    }
    if check {
        let result: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).expect("quick check");
        assert_eq!(result, "ok");
    }
    let total: i64 = conn.query_row("SELECT count(*) FROM participants WHERE deleted = 0 AND status = 'active'", [], |r| r.get(0)).expect("count");
    let mut stmt = conn
        .prepare("SELECT id, legal_name FROM participants WHERE deleted = 0 AND status = 'active' ORDER BY sort_name, id LIMIT 100")
        .expect("page");
    let rows = stmt.query_map([], |r| r.get::<_, String>(1)).expect("rows").count();
    total as usize + rows
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("unlock");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    let (file, _, _) = KeyFile::new(USER, PASSWORD, KdfParams::DEFAULT).expect("key file");
    group.bench_function("derive the key from a password (argon2id, app costs)", |b| {
        b.iter(|| black_box(file.unwrap_user(USER, PASSWORD).expect("unwrap")))
    });

    let files = database(SIZE);
    let key = KeyFile::load(&files.key).expect("key file").unwrap_user(USER, PASSWORD).expect("key");
    let literal = key.sqlcipher_literal();
    let plain = plain_copy(&files.db, &literal);
    for (check, what) in [(true, "with quick check"), (false, "first page only")] {
        group.bench_function(format!("open {SIZE} participants, {what}: encrypted"), |b| {
            b.iter(|| black_box(open_and_show(&files.db, Some(&literal), check)))
        });
        group.bench_function(format!("open {SIZE} participants, {what}: unencrypted"), |b| b.iter(|| black_box(open_and_show(&plain, None, check))));
    }
    // The whole sign-in path but argon2 (this site's slot has cheap costs): key file, open,
    // quick check, account, audit entry.
    group.bench_function(format!("sign in to {SIZE} participants, argon2 aside"), |b| b.iter(|| black_box(sign_in(&files))));
    group.finish();
}

criterion_group!(unlock, benches);
criterion_main!(unlock);
