//! Bundles between sites on disk: export, import, idempotence, convergence, conflicts, and
//! every kind of bad bundle refused with its own message and nothing changed.

use crate::fixture::{ctx, import_bytes, import_receipt_bytes, person, site_on_disk};
use bridger::store::PeerKind;
use bridger::model::ParticipantInput;
use bridger::{Store, WriteCtx};

fn later(ms: u64) -> WriteCtx {
    WriteCtx::fixed(ctx().now_ms + ms, ctx().today, ms)
}

/// Three sites; `a` and `b` trust each other, `c` trusts `b` only.
fn sites(dir: &tempfile::TempDir) -> (Store, Store, Store) {
    let (mut a, _) = site_on_disk(dir, "A", 1);
    let (mut b, _) = site_on_disk(dir, "B", 2);
    let (mut c, _) = site_on_disk(dir, "C", 3);
    let (ca, cb, cc) = (a.site_card(&ctx()).unwrap(), b.site_card(&ctx()).unwrap(), c.site_card(&ctx()).unwrap());
    a.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &cc, &cc.fingerprint, PeerKind::ProgramSite).unwrap();
    c.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    (a, b, c)
}

fn send(from: &mut Store, to: &mut Store, dir: &tempfile::TempDir, name: &str) -> bridger::store::ImportSummary {
    let path = dir.path().join(name);
    let peer = to.site().unwrap().site_id;
    from.export_bundle(&later(1_000), peer, false, &path).unwrap();
    to.import_bundle(&later(2_000), &path, None).unwrap()
}

#[test]
fn sites_that_exchange_bundles_end_with_the_same_data_and_a_repeat_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, _) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    // One context for both, so the two records get two ids.
    let c = ctx();
    a.enroll(&c, &person(&f, "SMITH, Mary", "B-1")).unwrap();
    a.enroll(&c, &person(&f, "JONES, Ann", "B-2")).unwrap();
    let first = send(&mut a, &mut b, &dir, "a-to-b-1.bundle");
    assert!(first.new_records >= 2 + 1 + 2, "{first:?}");
    assert_eq!((first.already_present, first.conflicts, first.nothing_new), (0, 0, false));
    assert_eq!(b.search("smith", &Default::default(), 5).unwrap().rows.len(), 1);
    send(&mut b, &mut a, &dir, "b-to-a-1.bundle");
    assert_eq!(a.content_digest().unwrap(), b.content_digest().unwrap());

    let digest = b.content_digest().unwrap();
    let again = b.import_bundle(&later(3_000), &dir.path().join("a-to-b-1.bundle"), None).unwrap();
    assert_eq!((again.updated_fields, again.already_present, again.nothing_new), (0, again.changes, true));
    assert_eq!(b.content_digest().unwrap(), digest);
    // Incremental: what B showed it holds is not sent again.
    let nothing_new = send(&mut a, &mut b, &dir, "a-to-b-2.bundle");
    assert_eq!(nothing_new.changes, 0, "{nothing_new:?}");
}

#[test]
fn an_older_bundle_replayed_after_a_newer_one_is_reported_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, _) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    let p = a.enroll(&ctx(), &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let to_b = b.site().unwrap().site_id;
    let (old, new) = (dir.path().join("old.bundle"), dir.path().join("new.bundle"));
    a.export_bundle(&later(1_000), to_b, true, &old).unwrap();
    let original = p.to_input();
    a.update_participant(&later(2_000), p.id, &original, &ParticipantInput { notes: "newer".into(), ..original.clone() }).unwrap();
    a.export_bundle(&later(3_000), to_b, true, &new).unwrap();
    assert!(!b.import_bundle(&later(4_000), &new, None).unwrap().nothing_new);
    let digest = b.content_digest().unwrap();
    let replay = b.import_bundle(&later(5_000), &old, None).unwrap();
    assert!(replay.nothing_new, "{replay:?}");
    assert_eq!((replay.updated_fields, replay.conflicts), (0, 0));
    assert_eq!(b.content_digest().unwrap(), digest);
    assert_eq!(b.view_participant(&ctx(), p.id).unwrap().notes.as_deref(), Some("newer"));
}

#[test]
fn concurrent_edits_of_one_field_keep_both_and_every_site_shows_the_same_winner() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, _) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    let p = a.enroll(&ctx(), &person(&f, "SMITH, Mary", "B-1")).unwrap();
    send(&mut a, &mut b, &dir, "1.bundle");
    send(&mut b, &mut a, &dir, "2.bundle");
    let original = p.to_input();
    a.update_participant(&later(10_000), p.id, &original, &ParticipantInput { notes: "from A".into(), ..original.clone() }).unwrap();
    b.update_participant(&later(20_000), p.id, &original, &ParticipantInput { notes: "from B".into(), ..original.clone() }).unwrap();
    let at_b = send(&mut a, &mut b, &dir, "3.bundle");
    let at_a = send(&mut b, &mut a, &dir, "4.bundle");
    assert_eq!((at_a.conflicts, at_b.conflicts), (1, 1));
    let notes = |s: &mut Store| s.view_participant(&ctx(), p.id).unwrap().notes;
    assert_eq!(notes(&mut a).as_deref(), Some("from B"), "the later clock wins");
    assert_eq!(notes(&mut b).as_deref(), Some("from B"));
    assert_eq!(a.content_digest().unwrap(), b.content_digest().unwrap());
    // The loser is kept for review; keeping it writes it again, as a change that syncs.
    let open = a.conflicts().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].winner_value.as_str(), open[0].loser_value.as_str()), (Some("from B"), Some("from A")));
    assert_eq!((open[0].winner_site.as_str(), open[0].record_name.as_deref()), ("B", Some("SMITH, Mary")));
    a.resolve_conflict(&later(25_000), open[0].id, bridger::store::Keep::Other).unwrap();
    assert!(a.conflicts().unwrap().is_empty());
    assert_eq!(notes(&mut a).as_deref(), Some("from A"));
    send(&mut a, &mut b, &dir, "4b.bundle");
    assert_eq!(notes(&mut b).as_deref(), Some("from A"));
    b.resolve_conflict(&later(26_000), b.conflicts().unwrap()[0].id, bridger::store::Keep::Shown).unwrap();
    // An edit made on top of the value the other site holds is no conflict.
    let seen = a.view_participant(&ctx(), p.id).unwrap().to_input();
    a.update_participant(&later(30_000), p.id, &seen, &ParticipantInput { notes: "settled".into(), ..seen.clone() }).unwrap();
    assert_eq!(send(&mut a, &mut b, &dir, "5.bundle").conflicts, 0);
    assert_eq!(notes(&mut b).as_deref(), Some("settled"));
}

#[test]
fn a_relayed_change_arrives_only_from_a_writer_the_importer_trusts_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, mut c) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    a.enroll(&ctx(), &person(&f, "RELAYED, Rita", "R-1")).unwrap();
    send(&mut a, &mut b, &dir, "a-b.bundle");
    // C trusts B, not A: B may not vouch for A's key, so A's changes are kept out and listed.
    let kept = send(&mut b, &mut c, &dir, "b-c.bundle");
    assert!(c.search("rita", &Default::default(), 5).unwrap().rows.is_empty());
    assert!(!kept.kept_out.is_empty() && kept.kept_out.iter().all(|k| k.reason.contains("does not trust")), "{kept:?}");
    assert!(kept.kept_out.iter().all(|k| !k.reason.contains("RELAYED")), "a refusal names no one");
    // Once C trusts A's card, the same changes relayed by B arrive with A's signature.
    let ca = a.site_card(&ctx()).unwrap();
    c.trust_peer(&ctx(), &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    let relayed = send(&mut b, &mut c, &dir, "b-c-2.bundle");
    assert!(relayed.kept_out.is_empty(), "{relayed:?}");
    assert_eq!(c.search("rita", &Default::default(), 5).unwrap().rows.len(), 1);
}

#[test]
fn each_bad_bundle_is_refused_with_its_own_reason_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, mut c) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    a.enroll(&ctx(), &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let path = dir.path().join("good.bundle");
    a.export_bundle(&ctx(), b.site().unwrap().site_id, false, &path).unwrap();
    let good = std::fs::read(&path).unwrap();
    let for_c = dir.path().join("for-c.bundle");
    b.export_bundle(&ctx(), c.site().unwrap().site_id, false, &for_c).unwrap();
    let digest = b.content_digest().unwrap();

    let refuse = |store: &mut Store, bytes: &[u8]| import_bytes(store, &ctx(), bytes, None).unwrap_err().to_string();
    let header_end = good.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1).unwrap().0;
    let mut flipped = good.clone();
    let last = flipped.len() - 5;
    flipped[last] ^= 0x40;
    let mut newer = String::from_utf8_lossy(&good[..header_end]).replace("\"format\":2", "\"format\":3").into_bytes();
    newer.extend(&good[header_end..]);
    let mut resigned = good.clone();
    let sig_start = header_end + 1;
    resigned[sig_start + 3] = if resigned[sig_start + 3] == b'A' { b'B' } else { b'A' };

    let cases: Vec<(&str, String)> = vec![
        ("not a bundle", refuse(&mut b, b"hello")),
        ("cut short", refuse(&mut b, &good[..good.len() - 20])),
        ("bit flipped", refuse(&mut b, &flipped)),
        ("newer format", refuse(&mut b, &newer)),
        ("signature changed", refuse(&mut b, &resigned)),
        ("for another site", refuse(&mut a, &std::fs::read(&for_c).unwrap())),
        ("from itself", refuse(&mut a, &good)),
        ("untrusted signer", refuse(&mut c, &good)),
    ];
    let expected = [
        "not a Bridger bundle",
        "do not match their digest",
        "do not match their digest",
        "newer Bridger",
        "signature is not",
        "for another site",
        "written by this site itself",
        "does not trust",
    ];
    for ((case, message), want) in cases.iter().zip(expected) {
        assert!(message.contains(want) && message.ends_with("nothing was imported"), "{case}: {message}");
    }
    assert_eq!(b.content_digest().unwrap(), digest, "nothing changed");
    import_bytes(&mut b, &ctx(), &good, None).unwrap();
}

#[test]
fn a_receipt_tells_the_sender_where_its_next_bundle_starts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, mut c) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    a.enroll(&ctx(), &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let to_b = b.site().unwrap().site_id;
    let first = dir.path().join("1.bundle");
    assert!(a.export_bundle(&later(1), to_b, false, &first).unwrap().changes > 0);
    b.import_bundle(&later(2), &first, None).unwrap();
    // Without word back, the same changes go again: a lost stick loses nothing.
    assert!(a.export_bundle(&later(3), to_b, false, &dir.path().join("2.bundle")).unwrap().changes > 0);
    let receipt = dir.path().join("b.receipt");
    b.write_receipt(&later(4), a.site().unwrap().site_id, &receipt).unwrap();
    let bytes = std::fs::read(&receipt).unwrap();
    assert!(import_receipt_bytes(&mut c, &later(5), &bytes).unwrap_err().to_string().contains("for another site"));
    assert_eq!(import_receipt_bytes(&mut a, &later(5), &bytes).unwrap(), "B");
    assert_eq!(a.export_bundle(&later(6), to_b, false, &dir.path().join("3.bundle")).unwrap().changes, 0);
    let mut forged = bytes.clone();
    let at = forged.len() - 10;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    assert!(import_receipt_bytes(&mut a, &later(7), &forged).is_err());
}

#[test]
fn a_one_off_bundle_opens_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, _) = sites(&dir);
    let f = a.facilities().unwrap().remove(0);
    a.enroll(&ctx(), &person(&f, "SMITH, Mary", "B-1")).unwrap();
    let path = dir.path().join("one-off.bundle");
    let to_b = b.site().unwrap().site_id;
    assert_eq!(a.export_bundle_with_passphrase(&ctx(), to_b, "short", &path).unwrap_err().fields()[0].field, "passphrase");
    a.export_bundle_with_passphrase(&ctx(), to_b, "blue river seven lanterns", &path).unwrap();
    let digest = b.content_digest().unwrap();
    assert!(b.import_bundle(&ctx(), &path, None).unwrap_err().to_string().contains("locked with a passphrase"));
    assert!(b.import_bundle(&ctx(), &path, Some("blue river seven lantern")).unwrap_err().to_string().contains("passphrase does not open"));
    assert_eq!(b.content_digest().unwrap(), digest);
    assert!(b.import_bundle(&ctx(), &path, Some("blue river seven lanterns")).unwrap().new_records > 0);
}

#[test]
fn a_relay_cannot_alter_or_drop_a_change_inside_another_sites_segment() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = site_on_disk(&dir, "A", 1);
    let (mut b, b_files) = site_on_disk(&dir, "B", 2);
    let (mut c, c_files) = site_on_disk(&dir, "C", 3);
    // Every index and trigger, as a large import sets them aside and puts them back (ADR 0018).
    let schema = || -> Vec<(String, String)> {
        let conn = crate::fixture::raw(&c_files);
        let mut stmt = conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
        rows
    };
    let indexes = schema();
    assert!(indexes.iter().any(|(name, _)| name == "participants_roster"), "{indexes:?}");
    let (ca, cb, cc) = (a.site_card(&ctx()).unwrap(), b.site_card(&ctx()).unwrap(), c.site_card(&ctx()).unwrap());
    a.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &cc, &cc.fingerprint, PeerKind::ProgramSite).unwrap();
    c.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    c.trust_peer(&ctx(), &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    a.trust_peer(&ctx(), &cc, &cc.fingerprint, PeerKind::ProgramSite).unwrap();
    let f = a.facilities().unwrap().remove(0);
    a.enroll(&ctx(), &person(&f, "SMITH, Mary", "B-1")).unwrap();
    send(&mut a, &mut b, &dir, "a-b.bundle");
    let digest = c.content_digest().unwrap();

    // B rewrites a value A signed, in its own database, and relays A's segment with it.
    let raw = crate::fixture::raw(&b_files);
    assert_eq!(raw.execute("UPDATE journal SET value = '\"FORGED, Name\"' WHERE value = '\"SMITH, Mary\"'", []).unwrap(), 1);
    let path = dir.path().join("b-c.bundle");
    b.export_bundle(&later(1_000), c.site().unwrap().site_id, false, &path).unwrap();
    let refused = c.import_bundle(&later(2_000), &path, None).unwrap_err().to_string();
    assert!(refused.contains("does not carry its writer's valid signature") && refused.ends_with("nothing was imported"), "{refused}");
    assert_eq!(c.content_digest().unwrap(), digest, "nothing of the altered segment was applied");
    assert_eq!(schema(), indexes, "the refused import put every index and trigger back");
    // The refused import rolled back whole: the search index still follows edits made here.
    let cf = c.facilities().unwrap().remove(0);
    c.enroll(&later(4_000), &person(&cf, "LOCAL, Lena", "C-1")).unwrap();
    assert_eq!(c.search("lena", &Default::default(), 5).unwrap().rows.len(), 1);

    // B drops one of A's changes: the segment no longer holds what A signed, and B cannot send it.
    raw.execute("DELETE FROM journal WHERE value = '\"FORGED, Name\"'", []).unwrap();
    let dropped = b.export_bundle(&later(3_000), c.site().unwrap().site_id, false, &dir.path().join("b-c-2.bundle")).unwrap_err().to_string();
    assert!(dropped.contains("fewer changes than it says"), "{dropped}");

    // From A itself the same changes arrive whole.
    assert!(send(&mut a, &mut c, &dir, "a-c.bundle").kept_out.is_empty());
    assert_eq!(c.search("smith", &Default::default(), 5).unwrap().rows.len(), 1);
    assert_eq!(schema(), indexes, "the import built again every index it set aside");
}
