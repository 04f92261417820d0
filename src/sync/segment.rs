//! Signed segments (ADR 0017): a site signs a run of its own changes once, over a digest of the
//! run's bounds and every change in it in order, instead of signing each change. Whoever passes
//! the run on passes it whole with that signature; a change added, dropped, altered or moved
//! inside it changes the digest.

use crate::model::SiteId;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

const CONTEXT: &[u8] = b"bridger segment v2\0";

/// One change as a segment's digest covers it: the names and the value as the journal holds
/// them, so any site holding the run can rebuild exactly the bytes its writer signed.
#[derive(Clone, Copy)]
pub(crate) struct Covered<'a> {
    pub hlc: i64,
    pub tbl: &'a str,
    pub record: &'a [u8; 16],
    pub field: &'a str,
    pub value: &'a str,
    pub prev: Option<(SiteId, i64)>,
}

/// Where a segment sits in its writer's journal: every change of `origin` clocked from `first`
/// to `last`, `count` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub origin: SiteId,
    pub first: i64,
    pub last: i64,
    pub count: u64,
}

/// The running digest of a segment, fed one change at a time as it is written or read.
pub(crate) struct SegmentDigest {
    sha: Sha256,
}

fn put(sha: &mut Sha256, part: &[u8]) {
    sha.update((part.len() as u64).to_le_bytes());
    sha.update(part);
}

impl SegmentDigest {
    pub(crate) fn new(bounds: &Bounds) -> Self {
        let mut sha = Sha256::new();
        sha.update(CONTEXT);
        sha.update(bounds.origin.uuid().as_bytes());
        sha.update(bounds.first.to_le_bytes());
        sha.update(bounds.last.to_le_bytes());
        sha.update(bounds.count.to_le_bytes());
        SegmentDigest { sha }
    }

    pub(crate) fn add(&mut self, c: &Covered<'_>) {
        let sha = &mut self.sha;
        sha.update(c.hlc.to_le_bytes());
        put(sha, c.tbl.as_bytes());
        sha.update(c.record);
        put(sha, c.field.as_bytes());
        put(sha, c.value.as_bytes());
        match c.prev {
            Some((site, hlc)) => {
                sha.update([1]);
                sha.update(site.uuid().as_bytes());
                sha.update(hlc.to_le_bytes());
            }
            None => sha.update([0]),
        }
    }

    pub(crate) fn sign(self, key: &SigningKey) -> [u8; 64] {
        key.sign(&self.sha.finalize()).to_bytes()
    }

    pub(crate) fn verify(self, key: &VerifyingKey, sig: &[u8]) -> bool {
        Signature::from_slice(sig).is_ok_and(|s| key.verify(&self.sha.finalize(), &s).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(hlc: i64, value: &str) -> Covered<'_> {
        Covered { hlc, tbl: "participants", record: &[7; 16], field: "legal_name", value, prev: None }
    }

    fn signed(values: &[(i64, &str)], key: &SigningKey, bounds: &Bounds) -> [u8; 64] {
        let mut d = SegmentDigest::new(bounds);
        values.iter().for_each(|(h, v)| d.add(&change(*h, v)));
        d.sign(key)
    }

    fn verifies(values: &[(i64, &str)], key: &SigningKey, bounds: &Bounds, sig: &[u8]) -> bool {
        let mut d = SegmentDigest::new(bounds);
        values.iter().for_each(|(h, v)| d.add(&change(*h, v)));
        d.verify(&key.verifying_key(), sig)
    }

    #[test]
    fn a_segment_verifies_only_as_its_writer_signed_it() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let bounds = Bounds { origin: SiteId::from_uuid(uuid::Uuid::from_u128(9)), first: 1, last: 3, count: 3 };
        let run = [(1, "\"A\""), (2, "\"B\""), (3, "\"C\"")];
        let sig = signed(&run, &key, &bounds);
        assert!(verifies(&run, &key, &bounds, &sig));
        assert!(!verifies(&[(1, "\"A\""), (3, "\"C\""), (2, "\"B\"")], &key, &bounds, &sig), "reordered");
        assert!(!verifies(&[(1, "\"A\""), (3, "\"C\"")], &key, &bounds, &sig), "one dropped");
        assert!(!verifies(&[(1, "\"A\""), (2, "\"X\""), (3, "\"C\"")], &key, &bounds, &sig), "one altered");
        assert!(!verifies(&run, &key, &Bounds { count: 2, ..bounds }, &sig), "bounds changed");
        assert!(!verifies(&run, &SigningKey::from_bytes(&[4; 32]), &bounds, &sig), "another key");
        assert!(!verifies(&run, &key, &bounds, &sig[..63]), "a cut signature");
    }
}
