//! Crash safety of the write path: a process killed mid-write leaves a database that passes its
//! integrity check and holds whole transactions only.

use bridger::site;
use bridger::store::PeerKind;
use bridger::model::RosterFilter;
use bridger::paths::SiteFiles;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The demo writes participants in transactions of 2,000.
const CHUNK: u64 = 2_000;

/// How many people the killed demo writes: ten transactions.
const PEOPLE: u64 = 20_000;

/// How many times each kill is tried: 50 in `make test`, more in `make soak`
/// (`BRIDGER_CRASH_ROUNDS`).
fn rounds() -> u64 {
    std::env::var("BRIDGER_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(50)
}

fn demo(db: &std::path::Path, password: &std::path::Path, seed: u64) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_bridger"))
        .args(["--db"])
        .arg(db)
        .args(["demo", "--participants", &PEOPLE.to_string(), "--seed", &seed.to_string(), "--admin", "ada", "--password-file"])
        .arg(password)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start bridger demo")
}

#[test]
fn killing_a_bulk_write_leaves_whole_transactions_only() {
    let password = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(password.path(), crate::fixture::PASSWORD).unwrap();
    // One whole run sets the span the kills are aimed into, whatever this machine's speed.
    let timing = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    assert!(demo(&timing.path().join("whole.db"), password.path(), 99).wait().unwrap().success());
    let span = started.elapsed().as_millis() as u64;
    let mut cut_mid_way = 0;
    for (round, percent) in [20u64, 35, 50, 65, 80].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crash.db");
        let mut child = demo(&db, password.path(), round as u64);
        std::thread::sleep(Duration::from_millis(span * percent / 100));
        // SIGKILL: no destructor, no rollback by the process itself.
        let _ = child.kill();
        let _ = child.wait();
        if !db.exists() {
            continue;
        }
        let store = match site::sign_in(&SiteFiles::for_db(&db), &crate::fixture::ctx(), "ada", crate::fixture::PASSWORD).map(|s| s.store) {
            Ok(s) => s,
            Err(e) => panic!("round {round}: the killed database does not open: {e}"),
        };
        let report = store.check().unwrap();
        assert!(report.ok, "round {round}: {:?}", report.problems);
        let total = store.roster_page(&RosterFilter::default(), 0, 1).unwrap().total;
        assert_eq!(total % CHUNK, 0, "round {round}: {total} participants is not a whole number of transactions");
        if total > 0 && total < PEOPLE {
            cut_mid_way += 1;
        }
        // Everything in the tables came through the journal, and nothing the journal holds is missing.
        let records = store.synced_records().unwrap();
        let journalled: std::collections::BTreeSet<_> = store.journal_entries().unwrap().into_iter().map(|j| (j.tbl, j.record_id)).collect();
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
    let passwd = || {
        Command::new(env!("CARGO_BIN_EXE_bridger"))
            .arg("--db")
            .arg(&files.db)
            .args(["--user", "ada", "--password-file"])
            .arg(&old_file)
            .args(["accounts", "passwd", "--new-password-file"])
            .arg(&new_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bridger accounts passwd")
    };
    // Two whole changes (there and back) set the span the kills are spread over, with half as
    // much again so that the later ones land after a change finished even on a busier machine;
    // the first change also makes the day's backup.
    let mut span = 0;
    for (from, to) in [(crate::fixture::PASSWORD, passwords[1]), (passwords[1], crate::fixture::PASSWORD)] {
        std::fs::write(&old_file, from).unwrap();
        std::fs::write(&new_file, to).unwrap();
        let started = std::time::Instant::now();
        assert!(passwd().wait().unwrap().success());
        span = started.elapsed().as_millis() as u64 * 3 / 2;
    }
    let mut current = crate::fixture::PASSWORD.to_string();
    let mut changed = 0;
    for round in 0..rounds() {
        let next = passwords[round as usize % 2];
        std::fs::write(&old_file, &current).unwrap();
        std::fs::write(&new_file, next).unwrap();
        let mut child = passwd();
        std::thread::sleep(Duration::from_millis(span * round / rounds()));
        let _ = child.kill();
        let _ = child.wait();
        let ctx = crate::fixture::ctx();
        let opened_with = [current.as_str(), next].into_iter().find(|p| site::sign_in(&files, &ctx, "ada", p).map(|s| s.store).is_ok());
        let Some(works) = opened_with else { panic!("round {round}: neither the old nor the new password opens the database") };
        if works != current {
            changed += 1;
            current = works.to_string();
        }
    }
    assert!(changed > 0, "no password change ever completed: nothing was tested");
}

/// Two trusted sites on disk; `a` holds `people` participants and has written a bundle for `b`.
fn bundle_for_b(dir: &tempfile::TempDir, people: usize) -> (SiteFiles, std::path::PathBuf) {
    let (mut a, _) = crate::fixture::site_on_disk(dir, "A", 1);
    let (mut b, b_files) = crate::fixture::site_on_disk(dir, "B", 2);
    let (ca, cb) = (a.site_card(&crate::fixture::ctx()).unwrap(), b.site_card(&crate::fixture::ctx()).unwrap());
    a.trust_peer(&crate::fixture::ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&crate::fixture::ctx(), &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    let f = a.facilities().unwrap().remove(0);
    let inputs: Vec<_> = (0..people).map(|i| crate::fixture::person(&f, &format!("PERSON, Number {i}"), &format!("N-{i}"))).collect();
    a.enroll_many(&crate::fixture::ctx(), &inputs).unwrap();
    let bundle = dir.path().join("a-to-b.bundle");
    a.export_bundle(&crate::fixture::ctx(), cb.site_id, false, &bundle).unwrap();
    (b_files, bundle)
}

fn copy_site(from: &SiteFiles, to: &std::path::Path) -> SiteFiles {
    let files = SiteFiles::for_db(to);
    std::fs::copy(&from.db, &files.db).unwrap();
    std::fs::copy(&from.key, &files.key).unwrap();
    files
}

#[test]
fn killing_an_import_leaves_all_of_the_bundle_or_none_and_every_account_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let (b_files, bundle) = bundle_for_b(&dir, 1_500);
    let password = dir.path().join("password");
    std::fs::write(&password, crate::fixture::PASSWORD).unwrap();
    let import = |files: &SiteFiles| {
        Command::new(env!("CARGO_BIN_EXE_bridger"))
            .arg("--db")
            .arg(&files.db)
            .args(["--user", "ada", "--password-file"])
            .arg(&password)
            .arg("import")
            .arg(&bundle)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bridger import")
    };
    // One whole import sets the span the kills are spread over, whatever this machine's speed.
    let timing = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    assert!(import(&copy_site(&b_files, &timing.path().join("b.db"))).wait().unwrap().success());
    let span = started.elapsed().as_millis() as u64 * 6 / 5;
    let kill_after = |round: u64, wait: u64| -> bool {
        let here = tempfile::tempdir().unwrap();
        let files = copy_site(&b_files, &here.path().join("b.db"));
        let mut child = import(&files);
        std::thread::sleep(Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        let store = site::sign_in(&files, &crate::fixture::ctx(), "ada", crate::fixture::PASSWORD).map(|s| s.store)
            .unwrap_or_else(|e| panic!("round {round}: the account no longer unlocks: {e}"));
        let report = store.check().unwrap();
        assert!(report.ok, "round {round}: {:?}", report.problems);
        match store.roster_page(&RosterFilter::default(), 0, 1).unwrap().total {
            0 => false,
            1_500 => true,
            n => panic!("round {round}: {n} participants: part of a bundle was applied"),
        }
    };
    let (mut none, mut all) = (0, 0);
    for round in 0..rounds() {
        if kill_after(round, span * round / rounds()) { all += 1 } else { none += 1 }
    }
    // The other tests load the machine unevenly, so these imports may run slower than the timed
    // one did; wait twice as long each time until a kill lands after the commit.
    let mut late = span;
    for round in rounds()..rounds() + 8 {
        if all > 0 {
            break;
        }
        late *= 2;
        if kill_after(round, late) { all += 1 } else { none += 1 }
    }
    assert!(none > 0 && all > 0, "the kills must land both before and after the commit: {none} none, {all} all");
}

#[test]
fn killing_an_export_never_leaves_a_partial_bundle() {
    let dir = tempfile::tempdir().unwrap();
    bundle_for_b(&dir, 1_500);
    let (a_files, b_files) = (SiteFiles::for_db(dir.path().join("A.db")), SiteFiles::for_db(dir.path().join("B.db")));
    let password = dir.path().join("password");
    std::fs::write(&password, crate::fixture::PASSWORD).unwrap();
    let export = |out: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_bridger"))
            .arg("--db")
            .arg(&a_files.db)
            .args(["--user", "ada", "--password-file"])
            .arg(&password)
            .args(["export", "--to", "B", "--full", "-o"])
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bridger export")
    };
    // The first run of the day also makes the daily backup; the next three are timed, and the
    // kills are spread over twice the longest, whatever this machine's speed and its load while
    // the other tests run.
    assert!(export(&dir.path().join("warm-up.bundle")).wait().unwrap().success());
    let span = (0..3)
        .map(|_| {
            let started = std::time::Instant::now();
            assert!(export(&dir.path().join("timed.bundle")).wait().unwrap().success());
            started.elapsed().as_millis() as u64
        })
        .max()
        .unwrap_or_default()
        * 2;
    let mut whole = 0;
    for round in 0..rounds() {
        let out = dir.path().join(format!("export-{round}.bundle"));
        let mut child = export(&out);
        std::thread::sleep(Duration::from_millis(span * round / rounds()));
        let _ = child.kill();
        let _ = child.wait();
        if out.exists() {
            let here = tempfile::tempdir().unwrap();
            let files = copy_site(&b_files, &here.path().join("b.db"));
            let mut b = site::sign_in(&files, &crate::fixture::ctx(), "ada", crate::fixture::PASSWORD).map(|s| s.store).unwrap();
            b.import_bundle(&crate::fixture::ctx(), &out, None).unwrap_or_else(|e| panic!("round {round}: a partial bundle was left: {e}"));
            whole += 1;
        }
    }
    assert!(whole > 0 && whole < rounds(), "the kills must land both before and after the file appears: {whole} of {} whole", rounds());
}
