//! Property: whatever sequence of edits a site makes, replaying its journal (newest clock wins
//! per field) rebuilds exactly the records in its tables, and clocks only ever rise.

use crate::fixture::{person, store};
use bridger::model::{ParticipantId, ParticipantInput, StatusChange};
use bridger::WriteCtx;
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Op {
    Enroll(u8),
    Rename(usize, u8),
    Program(usize, u8),
    Release(usize),
    Delete(usize),
    ClockJump(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<u8>().prop_map(Op::Enroll),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(i, n)| Op::Rename(i, n)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(i, n)| Op::Program(i, n)),
        1 => any::<usize>().prop_map(Op::Release),
        1 => any::<usize>().prop_map(Op::Delete),
        2 => (-86_400_000i64..86_400_000).prop_map(Op::ClockJump),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn replaying_the_journal_rebuilds_the_tables(ops in proptest::collection::vec(op(), 1..40)) {
        let (mut s, ctx0, f) = store();
        let mut now = ctx0.now_ms;
        let mut ids: Vec<ParticipantId> = Vec::new();
        let mut journal = s.journal_entries().unwrap();
        for (n, op) in ops.into_iter().enumerate() {
            let ctx = WriteCtx::fixed(now, ctx0.today, n as u64);
            let pick = |i: usize| (!ids.is_empty()).then(|| ids[i % ids.len()]);
            // Refusals (a deleted record, a clashing number) are part of the game: they must
            // leave no trace, which the replay below checks.
            match op {
                Op::Enroll(k) => {
                    if let Ok(p) = s.enroll(&ctx, &person(&f, &format!("PERSON, Número {k}"), &format!("N{n}"))) {
                        ids.push(p.id);
                    }
                }
                Op::Rename(i, k) => if let Some(id) = pick(i) {
                    if let Ok(p) = s.view_participant(&ctx, id) {
                        let original = p.to_input();
                        let edited = ParticipantInput { legal_name: format!("RENAMED, Ñame {k}"), ..original.clone() };
                        s.update_participant(&ctx, id, &original, &edited).unwrap();
                    }
                },
                Op::Program(i, k) => if let Some(id) = pick(i) {
                    if let Ok(p) = s.view_participant(&ctx, id) {
                        let original = p.to_input();
                        let edited = ParticipantInput { program: format!("Program {}", k % 4), ..original.clone() };
                        s.update_participant(&ctx, id, &original, &edited).unwrap();
                    }
                },
                Op::Release(i) => if let Some(id) = pick(i) {
                    let _ = s.set_status(&ctx, id, &StatusChange { status: "released".into(), date: "2026-11-01".into(), note: String::new() });
                },
                Op::Delete(i) => if let Some(id) = pick(i) {
                    let _ = s.delete_participant(&ctx, id);
                },
                Op::ClockJump(ms) => now = (now as i64 + ms).max(0) as u64,
            }
            // Clocks never fall, whatever the wall clock did: every entry an edit adds is
            // stamped after every entry before it, so the journal in clock order only grows at
            // its end.
            let after = s.journal_entries().unwrap();
            prop_assert_eq!(&after[..journal.len()], &journal[..]);
            journal = after;
        }
        // Replay: the newest value of each field wins.
        let mut replay: BTreeMap<(String, String), BTreeMap<String, (i64, serde_json::Value)>> = BTreeMap::new();
        for j in &journal {
            let fields = replay.entry((j.tbl.clone(), j.record_id.clone())).or_default();
            let newer = fields.get(&j.field).is_none_or(|(h, _)| j.hlc >= *h);
            if newer {
                fields.insert(j.field.clone(), (j.hlc, j.value.clone()));
            }
        }
        let rebuilt: BTreeMap<(String, String), BTreeMap<String, serde_json::Value>> = replay
            .into_iter()
            .map(|(k, fields)| (k, fields.into_iter().map(|(f, (_, v))| (f, v)).collect()))
            .collect();
        prop_assert_eq!(rebuilt, s.synced_records().unwrap());
    }
}
