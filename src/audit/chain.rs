//! The audit trail's hash chain. Each entry's hash covers the previous entry's hash and its own
//! content (not its position), so verification can tell an entry that was changed from one that
//! was removed or moved.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub type Hash = [u8; 32];

/// What an entry says, as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent {
    pub at_ms: i64,
    pub site_id: String,
    pub actor: String,
    pub workstation: String,
    pub action: String,
    pub table: Option<String>,
    pub record_id: Option<String>,
    pub detail: String,
}

/// An entry as it is stored.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub seq: i64,
    pub content: EntryContent,
    pub prev_hash: Option<Vec<u8>>,
    pub hash: Option<Vec<u8>>,
}

pub fn entry_hash(prev: &[u8], e: &EntryContent) -> Hash {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(prev);
    field(&e.at_ms.to_le_bytes());
    field(e.site_id.as_bytes());
    field(e.actor.as_bytes());
    field(e.workstation.as_bytes());
    field(e.action.as_bytes());
    field(e.table.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.record_id.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.detail.as_bytes());
    h.finalize().into()
}

/// One break in the chain, named so a person can find the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Changed { seq: i64 },
    Removed { first: i64, last: i64 },
    RemovedUnnumbered { before: i64 },
    OutOfOrder { seq: i64, belongs_after: i64 },
    RemovedAtEnd { after: i64, expected_last: i64 },
    Unchained { seq: i64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed { seq } => write!(f, "entry {seq} was changed after it was written"),
            Problem::Removed { first, last } if first == last => write!(f, "entry {first} was removed"),
            Problem::Removed { first, last } => write!(f, "entries {first} to {last} were removed"),
            Problem::RemovedUnnumbered { before } => write!(f, "an entry just before entry {before} was removed"),
            Problem::OutOfOrder { seq, belongs_after } => {
                write!(f, "entry {seq} is out of order: it was written right after entry {belongs_after}")
            }
            Problem::RemovedAtEnd { after, expected_last } => {
                write!(f, "the newest entries after entry {after} were removed (the trail reached entry {expected_last})")
            }
            Problem::Unchained { seq } => write!(f, "entry {seq} has no hash, so it cannot be checked"),
        }
    }
}

/// Checks entries given in `seq` order against each other and against the head the site row
/// keeps (`head_seq`, `head_hash`). An empty result means the trail is whole.
pub fn verify(entries: &[StoredEntry], head_seq: i64, head_hash: Option<&[u8]>) -> Vec<Problem> {
    let by_hash: HashMap<&[u8], i64> = entries.iter().filter_map(|e| e.hash.as_deref().map(|h| (h, e.seq))).collect();
    let mut problems = Vec::new();
    let mut previous: Option<&StoredEntry> = None;
    for entry in entries {
        let (Some(prev_hash), Some(hash)) = (entry.prev_hash.as_deref(), entry.hash.as_deref()) else {
            problems.push(Problem::Unchained { seq: entry.seq });
            previous = Some(entry);
            continue;
        };
        if entry_hash(prev_hash, &entry.content).as_slice() != hash {
            problems.push(Problem::Changed { seq: entry.seq });
        }
        let expected_prev: &[u8] = previous.and_then(|p| p.hash.as_deref()).unwrap_or(&[]);
        let expected_seq = previous.map_or(1, |p| p.seq + 1);
        if prev_hash != expected_prev {
            match by_hash.get(prev_hash) {
                Some(&after) => problems.push(Problem::OutOfOrder { seq: entry.seq, belongs_after: after }),
                None if entry.seq > expected_seq => problems.push(Problem::Removed { first: expected_seq, last: entry.seq - 1 }),
                None => problems.push(Problem::RemovedUnnumbered { before: entry.seq }),
            }
        } else if entry.seq > expected_seq {
            problems.push(Problem::Removed { first: expected_seq, last: entry.seq - 1 });
        }
        previous = Some(entry);
    }
    let last_seq = previous.map_or(0, |p| p.seq);
    let last_hash = previous.and_then(|p| p.hash.as_deref());
    if head_seq > last_seq || (head_seq == last_seq && head_hash.is_some() && head_hash != last_hash) {
        problems.push(Problem::RemovedAtEnd { after: last_seq, expected_last: head_seq });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev: Vec<u8> = Vec::new();
        (1..=n)
            .map(|seq| {
                let content = EntryContent {
                    at_ms: 1_000 * seq,
                    site_id: "site".into(),
                    actor: "ada".into(),
                    workstation: "ws".into(),
                    action: "view".into(),
                    table: Some("participants".into()),
                    record_id: Some(format!("p{seq}")),
                    detail: String::new(),
                };
                let hash = entry_hash(&prev, &content).to_vec();
                let e = StoredEntry { seq, content, prev_hash: Some(prev.clone()), hash: Some(hash.clone()) };
                prev = hash;
                e
            })
            .collect()
    }

    fn head(entries: &[StoredEntry]) -> (i64, Option<Vec<u8>>) {
        let last = entries.last().unwrap();
        (last.seq, last.hash.clone())
    }

    #[test]
    fn a_whole_chain_verifies() {
        let entries = chain(5);
        let (seq, hash) = head(&entries);
        assert!(verify(&entries, seq, hash.as_deref()).is_empty());
        assert!(verify(&[], 0, None).is_empty());
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let entries = chain(6);
        let (seq, hash) = head(&entries);

        let mut changed = entries.clone();
        changed[2].content.detail = "nothing to see".into();
        assert_eq!(verify(&changed, seq, hash.as_deref()), vec![Problem::Changed { seq: 3 }]);

        let mut removed = entries.clone();
        removed.remove(3);
        assert_eq!(verify(&removed, seq, hash.as_deref()), vec![Problem::Removed { first: 4, last: 4 }]);

        let mut renumbered = entries.clone();
        renumbered.remove(3);
        for e in renumbered.iter_mut().skip(3) {
            e.seq -= 1;
        }
        let problems = verify(&renumbered, seq, hash.as_deref());
        assert_eq!(problems[0], Problem::RemovedUnnumbered { before: 4 });

        let mut swapped = entries.clone();
        swapped.swap(1, 2);
        swapped[1].seq = 2;
        swapped[2].seq = 3;
        let problems = verify(&swapped, seq, hash.as_deref());
        assert!(problems.contains(&Problem::OutOfOrder { seq: 2, belongs_after: 3 }), "{problems:?}");
        assert!(!problems.iter().any(|p| matches!(p, Problem::Changed { .. })), "{problems:?}");

        let mut truncated = entries.clone();
        truncated.pop();
        assert_eq!(verify(&truncated, seq, hash.as_deref()), vec![Problem::RemovedAtEnd { after: 5, expected_last: 6 }]);
    }
}
