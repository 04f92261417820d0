//! The indexes that keep the hot queries fast are the ones SQLite picks. The store keeps no
//! statistics, so SQLite chooses by the shape of each index alone; an index added for one query
//! can win another (a report's index once took over the facility-number check and made each
//! enrolment read every person at the facility). Each query here is the store's own, asked
//! through EXPLAIN QUERY PLAN.

use crate::fixture::{file_store, raw};

fn plan(conn: &rusqlite::Connection, sql: &str) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
}

#[test]
fn each_hot_query_uses_the_index_made_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _, files) = file_store(&dir);
    drop(store);
    let conn = raw(&files);
    let expect = [
        ("SELECT count(*) > 0 FROM participants WHERE facility_number = 'J-1' AND facility_id = 'f' AND deleted = 0 AND id IS NOT NULL", "participants_number"),
        ("SELECT id, facility_id FROM participants INDEXED BY participants_scope WHERE deleted = 0 AND 1", "COVERING INDEX participants_scope"),
        ("SELECT id, participant_id, minutes, kind, intercept FROM contacts WHERE deleted = 0 AND date BETWEEN '2026-07-01' AND '2026-09-30'", "COVERING INDEX contacts_period"),
        ("SELECT id FROM contacts WHERE participant_id = 'p' AND deleted = 0 ORDER BY date", "contacts_participant"),
        ("SELECT participant_id, instrument_id, date, total FROM checkins WHERE deleted = 0 AND date <= '2026-09-30' ORDER BY date, id", "COVERING INDEX checkins_period"),
        ("SELECT id FROM checkins WHERE participant_id = 'p' AND deleted = 0 ORDER BY date", "checkins_participant"),
        ("SELECT participant_id, max(date) FROM status_changes WHERE deleted = 0 AND status = 'released' AND date BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY participant_id", "status_changes_period"),
        ("SELECT status FROM status_changes WHERE participant_id = 'p' AND deleted = 0", "status_changes_participant"),
        ("SELECT id FROM participants WHERE deleted = 0 ORDER BY sort_name, id LIMIT 100", "participants_roster"),
        ("SELECT e.id FROM program_episodes e INDEXED BY program_episodes_participant LEFT JOIN facilities f ON f.id = e.facility_id WHERE e.participant_id = 'p' AND e.deleted = 0 ORDER BY e.start_date DESC, e.id", "program_episodes_participant"),
        ("SELECT h.id FROM episode_phases h JOIN program_episodes e ON e.id = h.episode_id WHERE e.participant_id = 'p' AND h.deleted = 0 AND e.deleted = 0 ORDER BY h.date, h.phase", "SEARCH e USING INDEX program_episodes_participant"),
        ("SELECT t.id FROM transfers t JOIN participants p ON p.id = t.participant_id AND p.deleted = 0 WHERE t.participant_id = 'p' AND t.deleted = 0 ORDER BY t.requested_on DESC, t.id DESC", "transfers_participant"),
        ("SELECT m.id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.participant_id = 'p' AND m.deleted = 0 AND g.facility_id = 'f'", "SEARCH m USING INDEX"),
        ("SELECT s.support_type FROM contacts c CROSS JOIN contact_supports s ON s.contact_id = c.id WHERE s.deleted = 0 AND c.deleted = 0 AND c.date BETWEEN '2026-07-01' AND '2026-09-30'", "COVERING INDEX contact_supports_contact"),
    ];
    for (sql, index) in expect {
        let found = plan(&conn, sql);
        assert!(found.contains(index), "{sql}\n  planned as: {found}\n  expected: {index}");
    }
}

/// A merge, and settling after each import, look up everything of a merged person by the
/// person: each table's own index by participant, never a scan of the table.
#[test]
fn what_a_merge_moves_is_found_by_the_persons_index() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _, files) = file_store(&dir);
    drop(store);
    let conn = raw(&files);
    let tables = [
        "appointments", "referrals", "consents", "disclosures", "contacts", "checkins", "recovery_goals", "recovery_steps", "recovery_plan_changes",
        "status_changes", "program_episodes", "transfers", "plan_items", "group_members", "attendance", "reentry_plans",
    ];
    for table in tables {
        let sql = format!("SELECT id FROM {table} WHERE participant_id = 'p' AND deleted = 0");
        let found = plan(&conn, &sql);
        assert!(found.contains(&format!("INDEX {table}_participant")), "{sql}\n  planned as: {found}");
    }
    let found = plan(&conn, "SELECT tbl, record_id FROM merge_moves WHERE merge_id = 'm' AND deleted = 0 ORDER BY tbl, record_id");
    assert!(found.contains("INDEX merge_moves_merge"), "{found}");
    let found = plan(&conn, "SELECT p.legal_name FROM participant_merges m JOIN participants p ON p.id = m.kept_id WHERE m.merged_id = 'p' AND m.deleted = 0 AND m.undone_on IS NULL");
    assert!(found.contains("INDEX participant_merges_merged"), "{found}");
}
