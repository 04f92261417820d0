//! What someone who holds an account could try, each as it was tried against the store and the
//! command-line tool: exporting outside their facilities, sending past consent, reading names in
//! the audit trail, editing the database with SQL and rewriting the chain, keeping a key after
//! losing an account, restoring their way back to a role, and files and inputs that reach past
//! what they should.

use crate::cli::{bridger_as, password_file};
use crate::fixture::{ctx, file_store, import_bytes, person, raw, site_on_disk, today, PASSWORD};
use bridger::audit::chain::{entry_hash, EntryContent};
use bridger::auth::{KeyFile, KdfParams, Permission, Role, Scope};
use bridger::model::{ConsentInput, NewFacility, ParticipantInput, ResourceInput};
use bridger::paths::SiteFiles;
use bridger::site::{self, Workstation};
use bridger::store::{AccountChange, AuditFilter, BackupKind, NewAccount, PeerKind, Settings};
use bridger::{ErrorCode, Store};
use chrono::Duration;
use std::path::Path;

use crate::fixture::{account, after as later, signed_in as sign_in};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A jail with two facilities and a person in each, trusting a program site `B`; `coord` is a
/// coordinator limited to the first facility.
struct Jail {
    dir: tempfile::TempDir,
    files: SiteFiles,
    store: Store,
    b: Store,
}

fn jail() -> Jail {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, files) = site_on_disk(&dir, "Jail", 1);
    let (mut b, _) = site_on_disk(&dir, "B", 2);
    let (cj, cb) = (store.site_card(&ctx()).unwrap(), b.site_card(&ctx()).unwrap());
    store.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let own = store.facilities().unwrap().remove(0);
    // One context for the three, so each record gets its own id.
    let c = ctx();
    let other = store.create_facility(&c, &NewFacility { name: "Eastfield State Prison".into(), code: "ESP".into(), units: vec!["E-1".into()], rooms: vec![] }).unwrap();
    store.enroll(&c, &person(&own, "SMITH, Mary", "B-1")).unwrap();
    store.enroll(&c, &person(&other, "JONES, Ann", "E-1")).unwrap();
    account(&files, &mut store, "coord", vec![Role::Coordinator], Scope::Facilities(vec![own.id]));
    Jail { dir, files, store, b }
}

#[test]
fn a_coordinator_limited_to_one_facility_exports_nothing_by_any_route() {
    let j = jail();
    let db = j.files.db.clone();
    let out = j.dir.path().join("everything.bundle");
    let full = bridger_as(&db, "coord", PASSWORD, &["export", "--to", "B", "--full", "-o", out.to_str().unwrap()]);
    assert!(!full.status.success());
    assert!(stderr(&full).contains("every facility"), "{}", stderr(&full));
    let phrase = password_file(&db, "a passphrase long enough to use");
    let locked = bridger_as(&db, "coord", PASSWORD, &["export", "--to", "B", "--passphrase-file", phrase.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(!locked.status.success());
    assert!(stderr(&locked).contains("every facility"), "{}", stderr(&locked));
    assert!(!out.exists(), "no file was written");
    let mut store = sign_in(&j.files, "ada");
    let own = store.facilities().unwrap().into_iter().find(|f| f.name == "Riverside County Jail").unwrap().id;
    account(&j.files, &mut store, "pat", vec![Role::PeerSpecialist], Scope::Facilities(vec![own]));
    drop(store);
    let peer = bridger_as(&db, "pat", PASSWORD, &["export", "--to", "B", "-o", out.to_str().unwrap()]);
    assert!(stderr(&peer).contains("may not export records"), "the refusal is about exporting: {}", stderr(&peer));
    let mut coord = sign_in(&j.files, "coord");
    let b = j.b.site().unwrap().site_id;
    let e = coord.export_bundle(&ctx(), b, true, &out).unwrap_err();
    assert_eq!((e.code(), e.refused_permission()), (ErrorCode::OutOfScope, Some(Permission::ExportData)));
    let e = coord.export_bundle_with_passphrase(&ctx(), b, "a passphrase long enough to use", &out).unwrap_err();
    assert_eq!((e.code(), e.refused_permission()), (ErrorCode::OutOfScope, Some(Permission::ExportData)));
}

#[test]
fn no_bundle_reaches_a_partner_but_a_hand_off_and_a_passphrase_bundle_opens_only_at_its_site() {
    let mut j = jail();
    let dir = &j.dir;
    let (mut clinic, _) = site_on_disk(dir, "Clinic", 3);
    let (mut c, _) = site_on_disk(dir, "C", 4);
    let (cj, cc) = (j.store.site_card(&ctx()).unwrap(), clinic.site_card(&ctx()).unwrap());
    j.store.trust_peer(&ctx(), &cc, &cc.fingerprint, PeerKind::Partner).unwrap();
    clinic.trust_peer(&ctx(), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    c.trust_peer(&ctx(), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let partner = clinic.site().unwrap().site_id;
    let to = dir.path().join("to-partner.bundle");
    for e in [
        j.store.export_bundle(&ctx(), partner, false, &to).unwrap_err(),
        j.store.export_bundle(&ctx(), partner, true, &to).unwrap_err(),
        j.store.export_bundle_with_passphrase(&ctx(), partner, "a passphrase long enough to use", &to).unwrap_err(),
    ] {
        assert_eq!(e.fields()[0].field, "peer", "{e}");
    }
    assert!(!to.exists());
    // A one-off bundle for B carries B's name: C, which also trusts the jail, cannot import it
    // even with the passphrase.
    let b = j.b.site().unwrap().site_id;
    let one_off = dir.path().join("one-off.bundle");
    j.store.export_bundle_with_passphrase(&ctx(), b, "a passphrase long enough to use", &one_off).unwrap();
    let e = c.import_bundle(&ctx(), &one_off, Some("a passphrase long enough to use")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Bundle);
    assert!(e.to_string().contains("another site"), "{e}");
    assert!(c.search("smith", &Default::default(), 5).unwrap().rows.is_empty());
    assert!(j.b.import_bundle(&ctx(), &one_off, Some("a passphrase long enough to use")).unwrap().new_records > 0);
}

#[test]
fn a_partner_sends_back_only_its_confirmation_and_a_bad_value_is_kept_out_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut jail, _) = site_on_disk(&dir, "Jail", 1);
    let (mut clinic, clinic_files) = site_on_disk(&dir, "Clinic", 2);
    let (cj, cc) = (jail.site_card(&ctx()).unwrap(), clinic.site_card(&ctx()).unwrap());
    jail.trust_peer(&ctx(), &cc, &cc.fingerprint, PeerKind::Partner).unwrap();
    clinic.trust_peer(&ctx(), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let f = jail.facilities().unwrap().remove(0);
    let input = ParticipantInput { release_date: (today() + Duration::days(20)).to_string(), ..person(&f, "OKAFOR, Grace", "N-1") };
    let p = jail.enroll(&ctx(), &input).unwrap().id;
    let resource = ResourceInput { name: "Eastside Recovery Clinic".into(), kind: "treatment_provider".into(), ..Default::default() };
    let resource = jail.save_resource(&ctx(), None, &resource, Some(cc.site_id)).unwrap().id;
    jail.start_plan(&ctx(), p).unwrap();
    let consent = ConsentInput {
        resource_id: resource.to_string(),
        information: vec!["moud".into()],
        purpose: "continuity of medication".into(),
        signed_on: (today() - Duration::days(1)).to_string(),
        expires_on: (today() + Duration::days(90)).to_string(),
    };
    jail.add_consent(&ctx(), p, &consent).unwrap();
    let handoff = dir.path().join("handoff.bundle");
    let disclosure = jail.export_handoff(&ctx(), p, resource, &handoff).unwrap().disclosure_id;
    clinic.import_bundle(&later(1_000), &handoff, None).unwrap();

    // The clinic confirms, and also edits the person's record, enrols someone, and (with SQL)
    // writes a date that is no date into its journal.
    clinic.confirm_handoff(&later(2_000), p, disclosure, today(), "first visit kept").unwrap();
    let seen = clinic.view_participant(&later(2_000), p).unwrap().to_input();
    let edited = ParticipantInput { notes: "the clinic's words".into(), facility_number: "C-9".into(), ..seen.clone() };
    clinic.update_participant(&later(3_000), p, &seen, &edited).unwrap();
    let cf = clinic.facilities().unwrap().remove(0);
    clinic.enroll(&later(4_000), &person(&cf, "NEW, Clinic Person", "C-1")).unwrap();
    drop(clinic);
    raw(&clinic_files).execute("UPDATE journal SET value = '\"31/02/1990\"' WHERE field = 'dob' AND sig IS NULL", []).unwrap();
    let mut clinic = site::sign_in(&clinic_files, &later(5_000), "ada", PASSWORD).unwrap().store;
    let back = dir.path().join("back.bundle");
    clinic.export_bundle(&later(6_000), cj.site_id, false, &back).unwrap();

    let summary = jail.import_bundle(&later(7_000), &back, None).unwrap();
    let plan = jail.plan(&later(8_000), p).unwrap();
    assert_eq!(plan.disclosures[0].confirmed_how.as_deref(), Some("first visit kept"), "the confirmation arrived");
    assert_eq!(jail.view_participant(&later(8_000), p).unwrap().notes, None, "the clinic's edit did not");
    assert!(jail.search("clinic person", &Default::default(), 5).unwrap().rows.is_empty());
    let reasons: Vec<&str> = summary.kept_out.iter().map(|k| k.reason.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("only its confirmation")), "{reasons:?}");
    assert!(summary.kept_out.iter().all(|k| !k.reason.contains("OKAFOR")), "a refusal names no one");

    // The same bad date from a program site is kept out by the check a typed date meets.
    let (mut b, b_files) = site_on_disk(&dir, "B", 3);
    let cb = b.site_card(&ctx()).unwrap();
    jail.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &cj, &cj.fingerprint, PeerKind::ProgramSite).unwrap();
    let bf = b.facilities().unwrap().remove(0);
    b.enroll(&ctx(), &person(&bf, "DATE, Bad", "D-1")).unwrap();
    drop(b);
    raw(&b_files).execute("UPDATE journal SET value = '\"31/02/1990\"' WHERE field = 'dob'", []).unwrap();
    let mut b = site::sign_in(&b_files, &later(9_000), "ada", PASSWORD).unwrap().store;
    let from_b = dir.path().join("from-b.bundle");
    b.export_bundle(&later(9_000), cj.site_id, false, &from_b).unwrap();
    let summary = jail.import_bundle(&later(10_000), &from_b, None).unwrap();
    assert!(summary.kept_out.iter().any(|k| k.field == "dob" && k.reason.contains("dob must be")), "{:?}", summary.kept_out);
    assert!(jail.search("date bad", &Default::default(), 5).is_ok(), "the roster still opens");
    assert!(jail.roster_page(&Default::default(), 0, 50).is_ok());
}

#[test]
fn an_auditor_limited_to_one_facility_and_an_admin_without_participants_see_no_names_outside() {
    let mut j = jail();
    let own = j.store.facilities().unwrap().into_iter().find(|f| f.name == "Riverside County Jail").unwrap().id;
    account(&j.files, &mut j.store, "aud", vec![Role::Auditor], Scope::Facilities(vec![own]));
    account(&j.files, &mut j.store, "root", vec![Role::Admin], Scope::All);
    let names = |s: &Store| -> Vec<String> { s.audit_page(&AuditFilter::default(), 0, 500).unwrap().entries.into_iter().filter_map(|e| e.participant_name).collect() };
    let aud = sign_in(&j.files, "aud");
    let seen = names(&aud);
    assert!(seen.iter().any(|n| n == "SMITH, Mary") && !seen.iter().any(|n| n == "JONES, Ann"), "{seen:?}");
    assert!(names(&sign_in(&j.files, "root")).is_empty());
    // The audit entries about the person outside are still there, by id and kind.
    let page = aud.audit_page(&AuditFilter::default(), 0, 500).unwrap();
    assert!(page.entries.iter().any(|e| e.table.as_deref() == Some("participants") && e.participant_name.is_none()));

    let db = j.files.db.clone();
    let listed = bridger_as(&db, "aud", PASSWORD, &["audit", "list", "--limit", "500"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(!String::from_utf8_lossy(&listed.stdout).contains("JONES"));
    let csv = j.dir.path().join("trail.csv");
    let exported = bridger_as(&db, "aud", PASSWORD, &["audit", "export", "--out", csv.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("SMITH, Mary") && !text.contains("JONES"), "{text}");
    let root_csv = j.dir.path().join("root.csv");
    assert!(bridger_as(&db, "root", PASSWORD, &["audit", "export", "--out", root_csv.to_str().unwrap()]).status.success());
    let text = std::fs::read_to_string(&root_csv).unwrap();
    assert!(!text.contains("SMITH") && !text.contains("JONES"), "{text}");
}

/// The insider's rewrite: every entry from `from` on hashed again after `edit`, and the head
/// moved, as someone with the key and the `sqlite3` tool could.
fn rewrite_chain(conn: &rusqlite::Connection, edit: &str) {
    conn.execute_batch(edit).unwrap();
    let rows: Vec<(i64, EntryContent)> = conn
        .prepare("SELECT seq, at_ms, site_id, actor, workstation, action, tbl, record_id, detail FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                EntryContent { at_ms: r.get(1)?, site_id: r.get(2)?, actor: r.get(3)?, workstation: r.get(4)?, action: r.get(5)?, table: r.get(6)?, record_id: r.get(7)?, detail: r.get(8)? },
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev: Vec<u8> = Vec::new();
    for (seq, content) in rows {
        let hash = entry_hash(&prev, &content);
        conn.execute("UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1", rusqlite::params![seq, prev, hash.to_vec()]).unwrap();
        conn.execute("UPDATE site SET audit_head_seq = ?1, audit_head_hash = ?2", rusqlite::params![seq, hash.to_vec()]).unwrap();
        prev = hash.to_vec();
    }
}

#[test]
fn roles_edited_with_sql_are_named_and_a_rewritten_chain_is_named_on_both_sides_of_the_next_exchange() {
    let mut j = jail();
    // One exchange each way: B keeps the jail's head, the jail keeps B's.
    let (jail_id, b_id) = (j.store.site().unwrap().site_id, j.b.site().unwrap().site_id);
    let first = j.dir.path().join("1.bundle");
    j.store.export_bundle(&later(1_000), b_id, false, &first).unwrap();
    j.b.import_bundle(&later(1_000), &first, None).unwrap();
    let anchor = j.store.audit_anchor().unwrap().to_string();
    drop(j.store);

    // The coordinator, who knows only their own password, opens the database with it and makes
    // themselves administrator of everything.
    let key = KeyFile::load(&j.files.key).unwrap().unwrap_user("coord", PASSWORD).unwrap();
    let conn = rusqlite::Connection::open(&j.files.db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = {};", key.sqlcipher_literal().as_str())).unwrap();
    conn.execute("UPDATE accounts SET roles = 'admin,coordinator', facilities = '*' WHERE username = 'coord'", []).unwrap();
    let store = sign_in(&j.files, "ada");
    let report = store.audit_verify().unwrap();
    assert!(!report.ok && report.problems.iter().any(|p| p.contains("coord")), "{report:?}");
    drop(store);

    // Then rewrites the chain so the trail agrees with the accounts: the trail alone says whole.
    rewrite_chain(&conn, "UPDATE audit_log SET detail = 'roles=admin,coordinator; scope=*; active=1' WHERE tbl = 'accounts' AND detail LIKE 'roles=coordinator;%'");
    drop(conn);
    let mut store = sign_in(&j.files, "ada");
    let local = store.audit_verify().unwrap();
    assert!(local.ok, "the rewrite is consistent in itself: {local:?}");
    // A head written in the paper log before the rewrite no longer matches.
    assert_eq!(store.audit_check_anchor(&anchor).unwrap_err().code(), ErrorCode::Tampered);

    // The next exchange names it at B, and B's receipt names it back at the jail.
    let second = j.dir.path().join("2.bundle");
    store.export_bundle(&later(3_000), b_id, false, &second).unwrap();
    let at_b = j.b.import_bundle(&later(3_000), &second, None).unwrap();
    assert!(at_b.chain_warnings.iter().any(|w| w.contains("Jail") && w.contains("rewritten")), "{at_b:?}");
    assert!(j.b.audit_verify().unwrap().problems.iter().any(|p| p.contains("Jail")));
    let receipt = j.dir.path().join("2.receipt");
    j.b.write_receipt(&later(4_000), jail_id, &receipt).unwrap();
    let read = store.import_receipt(&later(4_000), &receipt).unwrap();
    assert!(read.chain_warnings.iter().any(|w| w.contains("this site's audit trail was rewritten")), "{read:?}");
    let report = store.audit_verify().unwrap();
    assert!(!report.ok && report.problems.iter().any(|p| p.contains("rewritten")), "{report:?}");
}

#[test]
fn deactivating_an_account_or_removing_its_role_rotates_the_key_past_every_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ctx, _, files) = file_store(&dir);
    account(&files, &mut store, "bob", vec![Role::Coordinator], Scope::All);
    account(&files, &mut store, "cy", vec![Role::Coordinator, Role::Auditor], Scope::All);
    let old_copy = dir.path().join("copied.key");
    std::fs::copy(&files.key, &old_copy).unwrap();
    let bobs_key = KeyFile::load(&files.key).unwrap().unwrap_user("bob", PASSWORD).unwrap();
    let before = store.backup(&ctx).unwrap();
    let opens = |db: &Path, key: &bridger::auth::DbKey| {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch(&format!("PRAGMA key = {};", key.sqlcipher_literal().as_str())).unwrap();
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok()
    };
    assert!(opens(&files.db, &bobs_key));

    let saved = store.deactivate_account(&later(10), "bob").unwrap();
    assert!(saved.key_change.is_some(), "deactivating rotated the key");
    assert!(!opens(&files.db, &bobs_key), "bob's old key does not open the live file");
    let copied = KeyFile::load(&old_copy).unwrap().unwrap_user("bob", PASSWORD).unwrap();
    assert!(!opens(&files.db, &copied), "nor does the key file copied before");
    assert!(opens(Path::new(&before.path), &bobs_key), "a backup made before keeps the key it was made with");
    let after = store.backup(&later(20)).unwrap();
    assert!(!opens(Path::new(&after.path), &bobs_key), "a backup made after uses the new key");
    assert_eq!(site::sign_in(&files, &later(30), "bob", PASSWORD).err().map(|e| e.code()), Some(ErrorCode::WrongPassword));

    let change = AccountChange { display_name: "cy".into(), roles: vec![Role::Auditor], scope: Scope::All };
    let cys_key = KeyFile::load(&files.key).unwrap().unwrap_user("cy", PASSWORD).unwrap();
    assert!(store.update_account(&later(40), "cy", &change).unwrap().key_change.is_some(), "removing a role rotated the key");
    assert!(!opens(&files.db, &cys_key));
    assert!(site::sign_in(&files, &later(50), "cy", PASSWORD).is_ok(), "cy still signs in, with the new key");
}

#[test]
fn restore_locks_out_like_sign_in_audits_every_try_and_keeps_every_demotion() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ctx, _, files) = file_store(&dir);
    account(&files, &mut store, "bob", vec![Role::Admin], Scope::All);
    let backup = store.backup(&ctx).unwrap();
    let backup = Path::new(&backup.path).to_path_buf();

    let mut refusals = Vec::new();
    for n in 0..8u64 {
        refusals.push(site::restore(&files, &later(100 + n), &backup, "bob", "not the password").unwrap_err().code());
    }
    assert!(refusals.contains(&ErrorCode::LockedOut), "{refusals:?}");
    assert_eq!(site::restore(&files, &later(200), &backup, "bob", PASSWORD).unwrap_err().code(), ErrorCode::LockedOut, "the right password waits too");

    // Bob is demoted; the old backup still says administrator, but the database as it is decides.
    let change = AccountChange { display_name: "bob".into(), roles: vec![Role::Coordinator], scope: Scope::All };
    store.update_account(&later(300), "bob", &change).unwrap();
    drop(store);
    let lockout_over = 16 * 60 * 1000;
    let e = site::restore(&files, &later(lockout_over), &backup, "bob", PASSWORD).unwrap_err();
    assert_eq!((e.code(), e.refused_permission()), (ErrorCode::Forbidden, Some(Permission::Backup)));

    // Ada restores the backup: the records go back, bob's demotion stays, and the trail keeps
    // every try.
    let report = site::restore(&files, &later(lockout_over + 1_000), &backup, "ada", PASSWORD).unwrap();
    assert_eq!(report.accounts_kept, ["bob"]);
    let store = sign_in(&files, "ada");
    let bob = store.accounts().unwrap().into_iter().find(|a| a.username == "bob").unwrap();
    assert_eq!(bob.roles, [Role::Coordinator]);
    let trail = store.audit_page(&AuditFilter { actor: Some("bob".into()), ..Default::default() }, 0, 100).unwrap();
    let refused = trail.entries.iter().filter(|e| e.action == "sign_in_refused" || (e.action == "restore" && e.detail.starts_with("refused"))).count();
    assert!(refused >= 9, "{:#?}", trail.entries);
    assert!(store.audit_verify().unwrap().ok);
}

#[test]
fn with_the_database_gone_only_the_recovery_key_restores_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let files = SiteFiles::for_db(dir.path().join("site.db"));
    let (mut store, recovery) = site::create(&files, &ctx(), &crate::fixture::setup(), KdfParams::FAST_FOR_TESTS).unwrap();
    account(&files, &mut store, "bob", vec![Role::Admin], Scope::All);
    let backup = Path::new(&store.backup(&ctx()).unwrap().path).to_path_buf();
    let change = AccountChange { display_name: "bob".into(), roles: vec![Role::Coordinator], scope: Scope::All };
    store.update_account(&later(10), "bob", &change).unwrap();
    drop(store);
    // The demoted administrator moves the database aside: the backup's accounts must not decide.
    std::fs::rename(&files.db, dir.path().join("moved.db")).unwrap();
    for who in ["bob", "ada"] {
        let e = site::restore(&files, &later(20), &backup, who, PASSWORD).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(e.to_string().contains("recovery key"), "{e}");
    }
    assert!(!files.db.exists(), "nothing was put in place");
    site::restore_with_recovery(&files, &later(30), &backup, &recovery, "ada").unwrap();
    let store = sign_in(&files, "ada");
    let trail = store.audit_page(&AuditFilter::default(), 0, 5).unwrap();
    assert!(trail.entries.iter().any(|e| e.action == "restore" && e.detail.ends_with("with the recovery key")), "{:#?}", trail.entries);
    // While the database opens, the recovery key does not stand in for an administrator.
    let e = site::restore_with_recovery(&files, &later(40), &backup, &recovery, "ada").unwrap_err();
    assert_eq!(e.fields()[0].field, "recovery_key");
}

#[test]
fn a_receipt_read_again_is_not_taken_for_a_trail_cut_back() {
    let mut j = jail();
    let (jail_id, b_id) = (j.store.site().unwrap().site_id, j.b.site().unwrap().site_id);
    let mut receipts = Vec::new();
    for n in 0..2u64 {
        let bundle = j.dir.path().join(format!("{n}.bundle"));
        j.store.export_bundle(&later(1_000 + n * 1_000), b_id, false, &bundle).unwrap();
        j.b.import_bundle(&later(1_100 + n * 1_000), &bundle, None).unwrap();
        let receipt = j.dir.path().join(format!("{n}.receipt"));
        j.b.write_receipt(&later(1_200 + n * 1_000), jail_id, &receipt).unwrap();
        assert!(j.store.import_receipt(&later(1_300 + n * 1_000), &receipt).unwrap().chain_warnings.is_empty());
        receipts.push(receipt);
    }
    let again = j.store.import_receipt(&later(5_000), &receipts[0]).unwrap();
    assert!(again.chain_warnings.is_empty(), "{again:?}");
    assert!(j.store.audit_verify().unwrap().ok);
}

#[test]
fn a_replayed_import_makes_no_backup_and_import_backups_never_prune_the_daily_ones() {
    let mut j = jail();
    let settings = Settings { idle_lock_minutes: 10, backups_kept: 3, roll_call_window_days: 7, bundle_limit_mb: 1024, ..Default::default() };
    j.b.set_settings(&ctx(), &settings).unwrap();
    let daily: Vec<_> = (0..3).map(|n| j.b.backup(&later(n * 1_000)).unwrap().name).collect();
    let bundle = j.dir.path().join("once.bundle");
    j.store.export_bundle(&ctx(), j.b.site().unwrap().site_id, false, &bundle).unwrap();
    let bytes = std::fs::read(&bundle).unwrap();
    for n in 0..15 {
        import_bytes(&mut j.b, &later(10_000 + n * 1_000), &bytes, None).unwrap();
    }
    let backups = j.b.backups().unwrap();
    assert_eq!(backups.iter().filter(|b| b.kind == BackupKind::BeforeImport).count(), 1, "{backups:#?}");
    let regular: Vec<_> = backups.iter().filter(|b| b.kind == BackupKind::Regular).map(|b| b.name.clone()).collect();
    for name in &daily {
        assert!(regular.contains(name), "{name} was pruned: {regular:?}");
    }
}

#[test]
fn no_output_lands_on_the_sites_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _, f, files) = file_store(&dir);
    let p = store.enroll(&ctx(), &ParticipantInput { release_date: (today() + Duration::days(20)).to_string(), ..person(&f, "SMITH, Mary", "B-1") }).unwrap().id;
    store.backup(&ctx()).unwrap();
    drop(store);
    let db = files.db.clone();
    let key_before = std::fs::read(&files.key).unwrap();
    let wal = dir.path().join("site.db-wal");
    let in_backups = files.backups.join("audit.csv");
    for target in [&files.db, &files.key, &files.logins, &wal, &in_backups, &files.backups] {
        let out = bridger_as(&db, "ada", PASSWORD, &["audit", "export", "--out", target.to_str().unwrap()]);
        assert!(!out.status.success(), "{} was accepted", target.display());
        assert!(stderr(&out).contains("this site's own files"), "{}", stderr(&out));
        let out = bridger_as(&db, "ada", PASSWORD, &["reentry", "packet", &p.to_string(), "-o", target.to_str().unwrap()]);
        assert!(!out.status.success(), "{} was accepted", target.display());
    }
    let out = bridger_as(&db, "ada", PASSWORD, &["import", "nowhere.bundle", "--receipt-out", files.key.to_str().unwrap()]);
    assert!(stderr(&out).contains("this site's own files"), "the receipt's path is refused before anything is imported: {}", stderr(&out));
    assert_eq!(std::fs::read(&files.key).unwrap(), key_before);
    assert!(site::sign_in(&files, &later(1), "ada", PASSWORD).is_ok(), "the database still opens");
}

#[test]
fn what_the_site_writes_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ctx, f, files) = file_store(&dir);
    let p = store.enroll(&ctx, &ParticipantInput { release_date: (today() + Duration::days(20)).to_string(), ..person(&f, "SMITH, Mary", "B-1") }).unwrap().id;
    let backup = store.backup(&ctx).unwrap();
    let csv = dir.path().join("trail.csv");
    store.audit_export(&ctx, &AuditFilter::default(), &csv).unwrap();
    let pdf = dir.path().join("packet.pdf");
    store.save_release_packet(&ctx, p, None, &pdf).unwrap();
    let card = dir.path().join("site.card");
    store.save_site_card(&ctx, &card).unwrap();
    for file in [&files.db, &files.key, Path::new(&backup.path), &csv, &pdf, &card] {
        assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o600, "{}", file.display());
    }
    assert_eq!(std::fs::metadata(&files.backups).unwrap().permissions().mode() & 0o777, 0o700);
}

#[test]
fn a_huge_file_picked_as_a_bundle_is_refused_from_its_first_bytes() {
    let mut j = jail();
    // A gigabyte that is not a bundle: refused on its magic.
    let huge = j.dir.path().join("movie.bundle");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(1 << 30).unwrap();
    let e = j.b.import_bundle(&ctx(), &huge, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Bundle);
    assert!(e.to_string().contains("not a Bridger bundle"), "{e}");
    let e = j.b.import_bundle(&ctx(), j.dir.path(), None).unwrap_err();
    assert!(e.to_string().contains("folder"), "{e}");
    // A real bundle grown past the limit: refused on its size before its payload is read.
    let bundle = j.dir.path().join("grown.bundle");
    j.store.export_bundle(&ctx(), j.b.site().unwrap().site_id, false, &bundle).unwrap();
    std::fs::OpenOptions::new().write(true).open(&bundle).unwrap().set_len(3 << 20).unwrap();
    j.b.set_settings(&ctx(), &Settings { idle_lock_minutes: 10, backups_kept: 14, roll_call_window_days: 7, bundle_limit_mb: 2, ..Default::default() }).unwrap();
    let e = j.b.import_bundle(&ctx(), &bundle, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Bundle);
    assert!(e.to_string().contains("2 MB"), "{e}");
}

#[test]
fn hidden_characters_never_reach_the_terminal_and_formulas_never_reach_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ctx, f, files) = file_store(&dir);
    let evil = "\u{1b}]0;owned\u{7}\u{1b}[2JRiverside\u{202e}lanruoj";
    store.create_facility(&ctx, &NewFacility { name: evil.into(), code: "EVL".into(), units: vec![], rooms: vec![] }).unwrap();
    let formula = "=HYPERLINK(\"http://x\",\"click\")";
    store.enroll(&ctx, &ParticipantInput { legal_name: format!("{formula}, Mary"), ..person(&f, "X", "B-1") }).unwrap();
    let new = NewAccount { username: "pat".into(), display_name: formula.into(), password: "temporary password".into(), roles: vec![Role::PeerSpecialist], scope: Scope::Facilities(vec![f.id]) };
    store.create_account(&ctx, &new).unwrap();
    drop(store);
    let listed = bridger_as(&files.db, "ada", PASSWORD, &["facilities", "list"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let text = String::from_utf8(listed.stdout).unwrap();
    assert!(text.contains("Riverside"), "{text}");
    assert!(!text.chars().any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'), "{text:?}");
    let csv = dir.path().join("trail.csv");
    assert!(bridger_as(&files.db, "ada", PASSWORD, &["audit", "export", "--out", csv.to_str().unwrap()]).status.success());
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
        }
    }
}

#[test]
fn a_card_whose_name_was_changed_does_not_match_its_fingerprint_and_removing_a_peer_is_audited() {
    let mut j = jail();
    let mut card = j.b.site_card(&ctx()).unwrap();
    let fingerprint = card.fingerprint.clone();
    j.store.remove_peer(&ctx(), card.site_id).unwrap();
    card.name = "Riverside County Jail".into();
    let e = j.store.trust_peer(&ctx(), &card, &fingerprint, PeerKind::ProgramSite).unwrap_err();
    assert_eq!(e.fields()[0].field, "card", "{e}");
    drop(j.store);

    // A second site that calls itself what a trusted one is called is refused: sites are chosen
    // by name when exporting.
    let mut store = sign_in(&j.files, "ada");
    let (mut twin, _) = site_on_disk(&j.dir, "b", 9);
    let twin_card = twin.site_card(&ctx()).unwrap();
    let b_card = j.b.site_card(&ctx()).unwrap();
    store.trust_peer(&ctx(), &b_card, &b_card.fingerprint, PeerKind::ProgramSite).unwrap();
    let e = store.trust_peer(&ctx(), &twin_card, &twin_card.fingerprint, PeerKind::ProgramSite).unwrap_err();
    assert_eq!(e.fields()[0].field, "card", "{e}");
    store.remove_peer(&ctx(), b_card.site_id).unwrap();
    drop(store);

    let db = j.files.db.clone();
    let card = j.b.site_card(&ctx()).unwrap();
    let file = j.dir.path().join("b.card");
    j.b.save_site_card(&ctx(), &file).unwrap();
    assert!(bridger_as(&db, "ada", PASSWORD, &["peers", "add", file.to_str().unwrap(), "--fingerprint", &card.fingerprint]).status.success());
    let removed = bridger_as(&db, "ada", PASSWORD, &["peers", "remove", "B"]);
    assert!(removed.status.success(), "{}", stderr(&removed));
    let store = sign_in(&j.files, "ada");
    assert!(store.peers().unwrap().is_empty());
    let trail = store.audit_page(&AuditFilter::default(), 0, 20).unwrap();
    assert!(trail.entries.iter().any(|e| e.table.as_deref() == Some("peers") && e.action == "delete" && e.record_id.as_deref() == Some(card.site_id.to_string().as_str())), "{:#?}", trail.entries);
}

#[test]
fn a_key_file_asking_for_cheap_key_derivation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _, files) = file_store(&dir);
    drop(store);
    let text = std::fs::read_to_string(&files.key).unwrap();
    let weak = text.replace(&format!("\"memory_kib\": {}", KdfParams::FLOOR.memory_kib), "\"memory_kib\": 8");
    assert_ne!(weak, text, "the key file names its memory cost");
    std::fs::write(&files.key, weak).unwrap();
    let e = site::sign_in(&files, &later(1), "ada", PASSWORD).err().unwrap();
    assert_eq!(e.code(), ErrorCode::KeyFile);
    assert!(e.to_string().contains("below"), "{e}");
}

#[test]
fn the_workstation_refuses_the_store_after_the_idle_time_even_if_the_window_never_locked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, ctx, _, files) = file_store(&dir);
    store.set_settings(&ctx, &Settings { idle_lock_minutes: 5, backups_kept: 14, roll_call_window_days: 7, bundle_limit_mb: 1024, ..Default::default() }).unwrap();
    account(&files, &mut store, "bob", vec![Role::Coordinator], Scope::All);
    drop(store);
    let mut ws = Workstation::new(files.clone());
    ws.sign_in(&later(0), "ada", PASSWORD).unwrap();
    let minute = 60_000;
    assert!(ws.store(&later(4 * minute)).is_ok(), "within the idle time");
    assert!(ws.store(&later(8 * minute)).is_ok(), "the idle time counts from the last call");
    let e = ws.store(&later(14 * minute)).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Locked);
    assert_eq!(ws.locked_by(), Some("ada"));
    assert_eq!(ws.sign_in(&later(15 * minute), "bob", PASSWORD).unwrap_err().code(), ErrorCode::Locked, "nobody else signs in over a locked screen");
    assert_eq!(ws.unlock(&later(15 * minute), "not it").unwrap_err().code(), ErrorCode::WrongPassword);
    ws.unlock(&later(16 * minute), PASSWORD).unwrap();
    let trail = ws.store(&later(16 * minute)).unwrap().audit_page(&AuditFilter::default(), 0, 20).unwrap();
    assert!(trail.entries.iter().any(|e| e.action == "lock" && e.detail.contains("5 idle minutes")), "{:#?}", trail.entries);
}
