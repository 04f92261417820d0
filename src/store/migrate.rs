//! Numbered migrations. A migration never changes once it has landed; a change of schema is a
//! new file added at the end of [`MIGRATIONS`].

use crate::error::Result;
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_accounts_and_audit_chain.sql"),
    include_str!("migrations/0003_groups.sql"),
    include_str!("migrations/0004_site_keys_and_peers.sql"),
    include_str!("migrations/0005_bundles.sql"),
    include_str!("migrations/0006_reentry.sql"),
    include_str!("migrations/0007_partners_and_anchors.sql"),
    include_str!("migrations/0008_peer_work.sql"),
    include_str!("migrations/0009_account_preferences.sql"),
    include_str!("migrations/0010_text_size.sql"),
    include_str!("migrations/0011_segments.sql"),
    include_str!("migrations/0012_lean_journal_and_clocks.sql"),
    include_str!("migrations/0013_peer_staff.sql"),
    include_str!("migrations/0014_program_readiness.sql"),
    include_str!("migrations/0015_session_facilitators.sql"),
    include_str!("migrations/0016_program_episodes.sql"),
    include_str!("migrations/0017_episode_facility.sql"),
    include_str!("migrations/0018_report_indexes.sql"),
    include_str!("migrations/0019_report_indexes_lead_with_dates.sql"),
    include_str!("migrations/0020_roster_import.sql"),
    include_str!("migrations/0021_transfers.sql"),
    include_str!("migrations/0022_participant_merges.sql"),
];

/// The schema version this build writes; a database with a higher one is refused.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration after `from`, each in its own transaction with its version number,
/// so a crash mid-upgrade leaves the file at the last complete version.
#[allow(clippy::disallowed_methods, reason = "a schema change, not a record write: nothing to journal or audit, and no one is signed in yet")]
pub(super) fn upgrade(conn: &mut Connection, from: i64) -> Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
