//! Encryption at rest, key slots, lockout, the audit chain against a raw SQLCipher connection,
//! and backups — on real files.

use crate::fixture::{ctx, file_store, person, raw, PASSWORD};
use bridger::site;
use bridger::auth::{self, Role, Scope};
use bridger::paths::SiteFiles;
use bridger::store::NewAccount;
use bridger::{ErrorCode, WriteCtx};

fn later(ctx: &WriteCtx, ms: u64) -> WriteCtx {
    WriteCtx::fixed(ctx.now_ms + ms, ctx.today, 11)
}

fn add_bob(store: &mut bridger::Store, ctx: &WriteCtx) {
    let bob = NewAccount { username: "Bob".into(), display_name: "Bob Reentry".into(), password: "bobs temporary pw".into(), roles: vec![Role::ReentryStaff], scope: Scope::All };
    store.create_account(ctx, &bob).unwrap();
}

#[test]
fn every_slot_opens_the_database_and_a_changed_password_only_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, _, files) = file_store(&dir);
    add_bob(&mut s, &ctx);
    drop(s);
    let mut bob = site::sign_in(&files, &ctx, "bob", "bobs temporary pw").map(|s| s.store).unwrap();
    assert!(bob.session().unwrap().must_change_password());
    bob.change_password(&ctx, "bobs temporary pw", "bobs own passphrase").unwrap();
    drop(bob);
    assert_eq!(site::sign_in(&files, &ctx, "bob", "bobs temporary pw").map(|s| s.store).err().unwrap().code(), ErrorCode::WrongPassword);
    let bob = site::sign_in(&files, &ctx, "BOB", "bobs own passphrase").map(|s| s.store).unwrap();
    assert!(!bob.session().unwrap().must_change_password());
    drop(bob);
    site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).unwrap();
    let wrong = site::sign_in(&files, &ctx, "ada", "not the password").map(|s| s.store).err().unwrap();
    assert_eq!(wrong.to_string(), "the user name or password is not right");
    let nobody = site::sign_in(&files, &ctx, "nobody", PASSWORD).map(|s| s.store).err().unwrap();
    assert_eq!(nobody.to_string(), wrong.to_string(), "an unknown name is not told apart");
}

#[test]
fn the_recovery_key_sets_a_new_password_when_every_admin_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let files = SiteFiles::for_db(dir.path().join("site.db"));
    let ctx = ctx();
    let (store, recovery) = site::create(&files, &ctx, &crate::fixture::setup(), auth::KdfParams::FAST_FOR_TESTS).unwrap();
    drop(store);
    let typed = recovery.display().to_lowercase();
    let key = auth::RecoveryKey::parse(&typed).unwrap();
    let store = site::recover(&files, &ctx, &key, "ada", "a brand new admin phrase").unwrap();
    assert!(store.accounts().is_ok(), "ada is an administrator again");
    assert!(store.audit_page(&Default::default(), 0, 50).unwrap().entries.iter().any(|e| e.action == "recovery_key_used"));
    drop(store);
    assert_eq!(site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).err().unwrap().code(), ErrorCode::WrongPassword);
    site::sign_in(&files, &ctx, "ada", "a brand new admin phrase").map(|s| s.store).unwrap();
    let wrong_key = auth::RecoveryKey::parse(&"A".repeat(52)).unwrap();
    assert!(site::recover(&files, &ctx, &wrong_key, "ada", "another new phrase").is_err());
}

#[test]
fn wrong_passwords_slow_down_then_lock_and_are_audited_at_the_next_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ctx, _, files) = file_store(&dir);
    drop(s);
    for _ in 0..3 {
        assert_eq!(site::sign_in(&files, &ctx, "ada", "guess").map(|s| s.store).err().unwrap().code(), ErrorCode::WrongPassword);
    }
    let e = site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).err().unwrap();
    assert_eq!(e.code(), ErrorCode::LockedOut);
    assert!(e.to_string().contains("wait 5 seconds"), "{e}");
    let mut t = 0;
    for _ in 0..3 {
        t += 600_000;
        let _ = site::sign_in(&files, &later(&ctx, t), "ada", "guess").map(|s| s.store);
    }
    let e = site::sign_in(&files, &later(&ctx, t + 1_000), "ada", PASSWORD).map(|s| s.store).err().unwrap();
    assert!(e.to_string().contains("locked") && e.to_string().contains("15 minutes"), "{e}");
    let s = site::sign_in(&files, &later(&ctx, t + 15 * 60_000), "ada", PASSWORD).map(|s| s.store).unwrap();
    let refused: Vec<_> = s.audit_page(&Default::default(), 0, 100).unwrap().entries.into_iter().filter(|e| e.action == "sign_in_refused").collect();
    assert_eq!(refused.len(), 8, "six wrong passwords and two tries while locked");
    assert!(refused.iter().all(|e| e.actor == "ada" && !e.workstation.is_empty()));
}

#[test]
fn a_deactivated_account_opens_nothing_until_its_password_is_reset() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, _, files) = file_store(&dir);
    add_bob(&mut s, &ctx);
    s.deactivate_account(&ctx, "bob").unwrap();
    assert_eq!(site::sign_in(&files, &ctx, "bob", "bobs temporary pw").map(|s| s.store).err().unwrap().code(), ErrorCode::WrongPassword);
    s.reset_password(&ctx, "bob", "a new temporary pw").unwrap();
    let bob = site::sign_in(&files, &ctx, "bob", "a new temporary pw").map(|s| s.store).unwrap();
    assert!(bob.session().unwrap().must_change_password());
}

/// Printable runs of six or more bytes, as `strings` finds them.
fn strings(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|b| !(0x20..0x7f).contains(b))
        .filter(|run| run.len() >= 6)
        .map(|run| String::from_utf8_lossy(run).into_owned())
        .collect()
}

#[test]
fn nothing_readable_in_the_database_its_wal_or_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, files) = file_store(&dir);
    for n in 0..50 {
        s.enroll(&ctx, &person(&f, &format!("QUIXOTE, Zebulon {n}"), &format!("ZQ-{n}"))).unwrap();
    }
    let backup = s.backup(&ctx).unwrap();
    let wal = format!("{}-wal", files.db.display());
    let mut looked = 0;
    for path in [files.db.display().to_string(), wal, backup.path.clone()] {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        looked += bytes.len();
        let found: Vec<String> = strings(&bytes).into_iter().filter(|s| ["QUIXOTE", "Zebulon", "Riverside", "SQLite format", "participants", "Test Site"].iter().any(|w| s.contains(w))).collect();
        assert!(found.is_empty(), "{path}: {found:?}");
    }
    assert!(looked > 100_000, "the files were read: {looked} bytes");
    let plain = rusqlite::Connection::open(&files.db).unwrap();
    assert!(plain.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).is_err(), "no key, no schema");
}

fn tampered(change: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, files) = file_store(&dir);
    for n in 0..4 {
        let p = s.enroll(&ctx, &person(&f, &format!("PERSON, Number {n}"), &format!("N-{n}"))).unwrap();
        s.view_participant(&ctx, p.id).unwrap();
    }
    assert!(s.audit_verify().unwrap().ok);
    raw(&files).execute_batch(change).unwrap();
    s.audit_verify().unwrap().problems
}

#[test]
fn a_changed_removed_or_reordered_audit_entry_is_found_and_named() {
    assert_eq!(tampered("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 6"), ["entry 6 was changed after it was written"]);
    assert_eq!(tampered("DELETE FROM audit_log WHERE seq = 7"), ["entry 7 was removed"]);
    let swapped = tampered("UPDATE audit_log SET seq = -1 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = 9; UPDATE audit_log SET seq = 9 WHERE seq = -1;");
    assert!(swapped.iter().any(|p| p == "entry 8 is out of order: it was written right after entry 9"), "{swapped:?}");
    let last = tampered("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)");
    assert_eq!(last.len(), 1);
    assert!(last[0].starts_with("the newest entries after entry"), "{last:?}");
}

#[test]
fn a_backup_restores_the_database_as_it_was_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, f, files) = file_store(&dir);
    s.enroll(&ctx, &person(&f, "BEFORE, Backup", "B-1")).unwrap();
    let backup = s.backup(&ctx).unwrap();
    assert_eq!(s.backups().unwrap().len(), 1);
    s.enroll(&ctx, &person(&f, "AFTER, Backup", "B-2")).unwrap();

    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&backup.path).unwrap();
    let end = bytes.len() - 10;
    bytes[end - 100..end].iter_mut().for_each(|b| *b ^= 0xff);
    std::fs::write(&damaged, &bytes).unwrap();
    std::fs::copy(SiteFiles::for_db(&backup.path).key, SiteFiles::for_db(&damaged).key).unwrap();
    assert!(site::restore(&files, &ctx, &damaged, "ada", PASSWORD).is_err());
    assert_eq!(s.roster_page(&Default::default(), 0, 10).unwrap().total, 2, "a refused restore changes nothing");

    let report = site::restore(&files, &ctx, std::path::Path::new(&backup.path), "ada", PASSWORD).unwrap();
    assert!(report.previous_kept_at.is_some());
    let names: Vec<String> = s.roster_page(&Default::default(), 0, 10).unwrap().rows.into_iter().map(|r| r.legal_name).collect();
    assert_eq!(names, ["BEFORE, Backup"], "the open store sees the restored data");
    assert!(s.audit_verify().unwrap().ok);
}

#[test]
fn only_the_newest_backups_are_kept_and_a_due_backup_is_made_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, ctx, _, _) = file_store(&dir);
    s.set_settings(&ctx, &bridger::store::Settings { idle_lock_minutes: 10, backups_kept: 2, ..Default::default() }).unwrap();
    assert!(s.backup_if_due(&ctx).unwrap().is_some());
    assert!(s.backup_if_due(&later(&ctx, 3_600_000)).unwrap().is_none(), "not due an hour later");
    assert!(s.backup_if_due(&later(&ctx, 25 * 3_600_000)).unwrap().is_some());
    s.backup(&later(&ctx, 26 * 3_600_000)).unwrap();
    let kept = s.backups().unwrap();
    assert_eq!(kept.len(), 2);
    assert!(kept[0].name > kept[1].name, "newest first");
    let entries = s.audit_page(&Default::default(), 0, 100).unwrap().entries;
    assert_eq!(entries.iter().filter(|e| e.action == "backup").count(), 3);
}

#[test]
fn a_quarantined_database_comes_back_from_its_backup_with_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let files = bridger::paths::SiteFiles::for_db(dir.path().join("site.db"));
    let ctx = crate::fixture::ctx();
    let (mut s, recovery) = site::create(&files, &ctx, &crate::fixture::setup(), bridger::auth::KdfParams::FAST_FOR_TESTS).unwrap();
    let f = s.facilities().unwrap().remove(0);
    s.enroll(&ctx, &person(&f, "KEPT, Safe", "B-1")).unwrap();
    let backup = s.backup(&ctx).unwrap();
    drop(s);
    let mut bytes = std::fs::read(&files.db).unwrap();
    bytes[3 * 4096 + 64..3 * 4096 + 512].iter_mut().for_each(|b| *b ^= 0x33);
    std::fs::write(&files.db, &bytes).unwrap();
    assert_eq!(site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).err().unwrap().code(), ErrorCode::Quarantined);
    // No account of a database that does not open can say who may restore it.
    let e = site::restore(&files, &ctx, std::path::Path::new(&backup.path), "ada", PASSWORD).unwrap_err();
    assert!(e.to_string().contains("recovery key"), "{e}");
    let report = site::restore_with_recovery(&files, &ctx, std::path::Path::new(&backup.path), &recovery, "ada").unwrap();
    assert!(report.previous_kept_at.is_none(), "the damaged file was already moved aside");
    let s = site::sign_in(&files, &ctx, "ada", PASSWORD).map(|s| s.store).unwrap();
    assert_eq!(s.roster_page(&Default::default(), 0, 10).unwrap().rows[0].legal_name, "KEPT, Safe");
}
