//! Migrations never change once landed: each file's digest is recorded here when it lands, and
//! a changed file fails this test. A new migration fails it too, until its digest is added.

use std::path::Path;

/// (file name, FNV-1a 64 digest of its bytes) for every landed migration, in order.
const LANDED: &[(&str, u64)] = &[
    ("0001_initial.sql", 0x4662857a7c0e916d),
    ("0002_accounts_and_audit_chain.sql", 0x623b619f2f68324d),
    ("0003_groups.sql", 0x19560e0c92f2d1c3),
    ("0004_site_keys_and_peers.sql", 0x48b017ce7afe3fc6),
    ("0005_bundles.sql", 0x94f4568fcc27c684),
    ("0006_reentry.sql", 0xd8ccff81857eae4e),
    ("0007_partners_and_anchors.sql", 0xbd41f85d36dc6599),
    ("0008_peer_work.sql", 0xce91f7eb25fa4e2b),
    ("0009_account_preferences.sql", 0x738cdff0c3cf14a6),
    ("0010_text_size.sql", 0xe56026f2dd42328e),
    ("0011_segments.sql", 0x22da06d06764dbf0),
    ("0012_lean_journal_and_clocks.sql", 0xf203144467f87777),
    ("0013_peer_staff.sql", 0x12795a24d0d2497d),
    ("0014_program_readiness.sql", 0x377c0bccc6524ed2),
    ("0015_session_facilitators.sql", 0xa8148e0459ece9e2),
    ("0016_program_episodes.sql", 0xae2cf3101741acde),
    ("0017_episode_facility.sql", 0xf9c0e3cbf5e0f8d3),
    ("0018_report_indexes.sql", 0x6a0b995239146b7),
    ("0019_report_indexes_lead_with_dates.sql", 0xa22c0dc860419c04),
    ("0020_roster_import.sql", 0x9e96dfdfe9bf441),
    ("0021_transfers.sql", 0xe81ea656bb15992d),
    ("0022_participant_merges.sql", 0x80a2065a187012d7),
];

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn landed_migrations_are_never_edited() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    for (i, name) in files.iter().enumerate() {
        let digest = fnv1a(&std::fs::read(dir.join(name)).unwrap());
        match LANDED.get(i) {
            Some((landed, expected)) => {
                assert_eq!(name, landed, "migration {} is not the one that landed as number {}", name, i + 1);
                assert_eq!(digest, *expected, "{name} changed after it landed: add a new migration instead");
            }
            None => panic!("{name} is new: once it lands, record it in LANDED as (\"{name}\", {digest:#x})"),
        }
    }
    assert_eq!(files.len(), LANDED.len(), "a landed migration file is missing");
    assert_eq!(bridger::store::SCHEMA_VERSION, LANDED.len() as i64);
}
