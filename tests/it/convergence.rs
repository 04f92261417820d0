//! Property: three to five sites edit the same people offline (creations, field edits, deletes,
//! concurrent edits of one field, goals logged, two records merged and merges undone) and
//! exchange bundles at random, with repeats and lost sticks. After a final exchange among all
//! of them, every site holds the same data, and importing any bundle again changes nothing.

use crate::fixture::{person, setup};
use bridger::store::PeerKind;
use bridger::model::{GoalInput, MergeInput, ParticipantId, ParticipantInput};
use bridger::{Store, WriteCtx};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Enroll(usize),
    Note(usize, usize, u8),
    Program(usize, usize, u8),
    Delete(usize, usize),
    Goal(usize, usize, u8),
    Merge(usize, usize, usize),
    Undo(usize, usize),
    Send { from: usize, to: usize, lost: bool, twice: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => any::<usize>().prop_map(Op::Enroll),
        3 => (any::<usize>(), any::<usize>(), any::<u8>()).prop_map(|(s, p, v)| Op::Note(s, p, v)),
        2 => (any::<usize>(), any::<usize>(), any::<u8>()).prop_map(|(s, p, v)| Op::Program(s, p, v)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(s, p)| Op::Delete(s, p)),
        2 => (any::<usize>(), any::<usize>(), any::<u8>()).prop_map(|(s, p, v)| Op::Goal(s, p, v)),
        1 => (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(s, a, b)| Op::Merge(s, a, b)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(s, m)| Op::Undo(s, m)),
        4 => (any::<usize>(), any::<usize>(), proptest::bool::weighted(0.15), proptest::bool::weighted(0.2))
            .prop_map(|(from, to, lost, twice)| Op::Send { from, to, lost, twice }),
    ]
}

struct World {
    sites: Vec<Store>,
    dir: tempfile::TempDir,
    step: u64,
    bundles: Vec<(usize, std::path::PathBuf)>,
}

impl World {
    fn new(n: usize) -> World {
        let base = crate::fixture::ctx();
        let sites: Vec<Store> = (0..n)
            .map(|i| {
                let mut s = Store::open_in_memory().unwrap();
                let mut site = setup();
                site.site_name = format!("Site {i}");
                s.setup(&WriteCtx::fixed(base.now_ms, base.today, 1000 + i as u64), &site).unwrap();
                s
            })
            .collect();
        let mut w = World { sites, dir: tempfile::tempdir().unwrap(), step: 0, bundles: Vec::new() };
        let mut cards = Vec::new();
        for i in 0..n {
            let ctx = w.ctx(i);
            cards.push(w.sites[i].site_card(&ctx).unwrap());
        }
        for i in 0..n {
            for (j, card) in cards.iter().enumerate() {
                if i != j {
                    let ctx = w.ctx(i);
                    w.sites[i].trust_peer(&ctx, card, &card.fingerprint, PeerKind::ProgramSite).unwrap();
                }
            }
        }
        w
    }

    /// A new moment for site `i`: time moves on, and every site draws its own ids.
    fn ctx(&mut self, i: usize) -> WriteCtx {
        self.step += 1;
        let base = crate::fixture::ctx();
        WriteCtx::fixed(base.now_ms + self.step * 1_000, base.today, self.step * 97 + i as u64)
    }

    fn people(&self, i: usize) -> Vec<ParticipantId> {
        self.sites[i].roster_page(&Default::default(), 0, 500).unwrap().rows.into_iter().map(|r| r.id).collect()
    }

    fn edit(&mut self, i: usize, which: usize, change: impl Fn(&mut ParticipantInput)) {
        let people = self.people(i);
        if people.is_empty() {
            return;
        }
        let id = people[which % people.len()];
        let ctx = self.ctx(i);
        let current = self.sites[i].view_participant(&ctx, id).unwrap().to_input();
        let mut edited = current.clone();
        change(&mut edited);
        self.sites[i].update_participant(&ctx, id, &current, &edited).unwrap();
    }

    fn send(&mut self, from: usize, to: usize, lost: bool, twice: bool) {
        if from == to {
            return;
        }
        self.step += 1;
        let path = self.dir.path().join(format!("{}-{from}-{to}.bundle", self.step));
        let peer = self.sites[to].site().unwrap().site_id;
        let ctx = self.ctx(from);
        self.sites[from].export_bundle(&ctx, peer, false, &path).unwrap();
        self.bundles.push((to, path.clone()));
        if lost {
            return;
        }
        for _ in 0..if twice { 2 } else { 1 } {
            let ctx = self.ctx(to);
            self.sites[to].import_bundle(&ctx, &path, None).unwrap();
        }
    }
}

/// 24 cases in `make test`; `make soak` runs many more (`SOAK_CASES`).
fn cases() -> u32 {
    std::env::var("SOAK_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn every_site_ends_with_the_same_data(n in 3usize..=5, ops in proptest::collection::vec(op(), 5..40)) {
        let mut w = World::new(n);
        for op in ops {
            match op {
                Op::Enroll(s) => {
                    let s = s % n;
                    let f = w.sites[s].facilities().unwrap().into_iter().find(|f| f.name == "Riverside County Jail").unwrap();
                    let ctx = w.ctx(s);
                    let mut p = person(&f, &format!("PERSON, Site {s} step {}", w.step), &format!("S{s}-{}", w.step));
                    p.unit_id.clear();
                    w.sites[s].enroll(&ctx, &p).unwrap();
                }
                Op::Note(s, p, v) => w.edit(s % n, p, |x| x.notes = format!("note {v} from {}", s % n)),
                Op::Program(s, p, v) => w.edit(s % n, p, |x| x.program = format!("program {v}")),
                Op::Delete(s, p) => {
                    let s = s % n;
                    let people = w.people(s);
                    if !people.is_empty() {
                        let ctx = w.ctx(s);
                        w.sites[s].delete_participant(&ctx, people[p % people.len()]).unwrap();
                    }
                }
                Op::Goal(s, p, v) => {
                    let s = s % n;
                    let people = w.people(s);
                    if !people.is_empty() {
                        let ctx = w.ctx(s);
                        let goal = GoalInput { goal: format!("goal {v} from {s}"), dimension: "health".into(), ..Default::default() };
                        w.sites[s].save_goal(&ctx, people[p % people.len()], None, &goal).unwrap();
                    }
                }
                Op::Merge(s, a, b) => {
                    let s = s % n;
                    let people = w.people(s);
                    let (kept, merged) = (people.get(a % people.len().max(1)), people.get(b % people.len().max(1)));
                    if let (Some(kept), Some(merged)) = (kept, merged) {
                        if kept != merged {
                            let ctx = w.ctx(s);
                            let input = MergeInput { kept_id: kept.to_string(), merged_id: merged.to_string(), reason: format!("merged at {s}") };
                            w.sites[s].merge_participants(&ctx, &input).unwrap();
                        }
                    }
                }
                Op::Undo(s, m) => {
                    let s = s % n;
                    let ctx = w.ctx(s);
                    let open: Vec<_> = w.sites[s].participant_merges(&ctx).unwrap().into_iter().filter(|m| m.may_undo).collect();
                    if !open.is_empty() {
                        let ctx = w.ctx(s);
                        // Refused when the kept record was merged on since: that merge is undone first.
                        if let Err(e) = w.sites[s].undo_merge(&ctx, open[m % open.len()].id, "not one person") {
                            prop_assert_eq!(e.code(), bridger::ErrorCode::Forbidden, "{}", e);
                        }
                    }
                }
                Op::Send { from, to, lost, twice } => w.send(from % n, to % n, lost, twice),
            }
        }
        // A final exchange: everyone sends to everyone, round after round, so what one learned
        // from another reaches the rest; records that arrive naming a merged person are moved
        // by each site as they arrive, which the next round carries too.
        let digest = |w: &World| -> Vec<String> { w.sites.iter().map(|s| s.content_digest().unwrap()).collect() };
        for _ in 0..4 {
            for from in 0..n {
                for to in 0..n {
                    w.send(from, to, false, false);
                }
            }
            let round = digest(&w);
            if round.iter().all(|d| *d == round[0]) {
                break;
            }
        }
        let digests = digest(&w);
        prop_assert!(digests.iter().all(|d| *d == digests[0]), "sites differ: {digests:?}");
        // Every bundle ever written, delivered again (even the lost ones), changes nothing.
        for (to, path) in w.bundles.clone() {
            let ctx = w.ctx(to);
            w.sites[to].import_bundle(&ctx, &path, None).unwrap();
        }
        let after: Vec<String> = w.sites.iter().map(|s| s.content_digest().unwrap()).collect();
        prop_assert_eq!(after, digests);
    }
}
