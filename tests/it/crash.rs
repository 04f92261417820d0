//! Crash safety of the write path: a process killed mid-write leaves a database that passes its
//! integrity check and holds whole transactions only.

use bridger::model::RosterFilter;
use bridger::auth;
use bridger::paths::SiteFiles;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The demo writes participants in transactions of 2,000.
const CHUNK: u64 = 2_000;

#[test]
fn killing_a_bulk_write_leaves_whole_transactions_only() {
    let mut cut_mid_way = 0;
    for (round, delay_ms) in [150u64, 400, 700, 1_100, 1_600].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crash.db");
        let password = dir.path().join("password");
        std::fs::write(&password, crate::fixture::PASSWORD).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_bridger"))
            .args(["--db"])
            .arg(&db)
            .args(["demo", "--participants", "40000", "--seed", &round.to_string(), "--admin", "ada", "--password-file"])
            .arg(&password)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bridger demo");
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGKILL: no destructor, no rollback by the process itself.
        let _ = child.kill();
        let _ = child.wait();
        if !db.exists() {
            continue;
        }
        let store = match auth::sign_in(&SiteFiles::for_db(&db), &crate::fixture::ctx(), "ada", crate::fixture::PASSWORD, false) {
            Ok(s) => s,
            Err(e) => panic!("round {round}: the killed database does not open: {e}"),
        };
        let report = store.check().unwrap();
        assert!(report.ok, "round {round}: {:?}", report.problems);
        let total = store.roster_page(&RosterFilter::default(), 0, 1).unwrap().total;
        assert_eq!(total % CHUNK, 0, "round {round}: {total} participants is not a whole number of transactions");
        if total > 0 && total < 40_000 {
            cut_mid_way += 1;
        }
        // Everything in the tables came through the journal, and nothing the journal holds is missing.
        let records = store.synced_records().unwrap();
        let journalled: std::collections::BTreeSet<_> =
            store.journal_entries().unwrap().into_iter().map(|j| (j.tbl, j.record_id)).collect();
        assert_eq!(records.keys().cloned().collect::<std::collections::BTreeSet<_>>(), journalled, "round {round}");
    }
    // Otherwise the kills all landed before the first commit or after the last: nothing tested.
    assert!(cut_mid_way > 0, "no kill landed between two transactions");
}

#[test]
fn killing_a_password_change_never_locks_anyone_out() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, _, files) = crate::fixture::file_store(&dir);
    drop(s);
    let passwords = ["first long passphrase", "second long passphrase"];
    let (old_file, new_file) = (dir.path().join("old"), dir.path().join("new"));
    let mut current = crate::fixture::PASSWORD.to_string();
    let mut changed = 0;
    for round in 0..24u64 {
        let next = passwords[round as usize % 2];
        std::fs::write(&old_file, &current).unwrap();
        std::fs::write(&new_file, next).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_bridger"))
            .arg("--db")
            .arg(&files.db)
            .args(["--user", "ada", "--password-file"])
            .arg(&old_file)
            .args(["accounts", "passwd", "--new-password-file"])
            .arg(&new_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bridger accounts passwd");
        // Cheap key derivation (the fixture's) puts the rewrite a few milliseconds in.
        std::thread::sleep(Duration::from_millis(round * 2));
        let _ = child.kill();
        let _ = child.wait();
        let ctx = crate::fixture::ctx();
        let opened_with = [current.as_str(), next].into_iter().find(|p| auth::sign_in(&files, &ctx, "ada", p, false).is_ok());
        let Some(works) = opened_with else { panic!("round {round}: neither the old nor the new password opens the database") };
        if works != current {
            changed += 1;
            current = works.to_string();
        }
    }
    assert!(changed > 0, "no password change ever completed: nothing was tested");
}
