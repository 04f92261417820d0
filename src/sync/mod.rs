//! Sync without a network: clocks, site keys and cards, and the two files that travel between
//! sites (the bundle and its receipt). What is read from or written to the database for them is
//! the store's; the formats and their checks are here.

pub(crate) mod bundle;
mod card;
mod hlc;
pub(crate) mod receipt;

pub use card::{fingerprint, SiteCard};
pub(crate) use card::SiteKeys;
pub use hlc::Hlc;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a bundle or receipt says about audit chains (ADR 0013): its sender's head, the sender's
/// current hash at each head it sent the recipient before, and the newest heads of the
/// recipient's chain the sender holds: the newest alone would only show a rewrite made before
/// the last exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHeads {
    pub head_seq: i64,
    pub head_hash: String,
    #[serde(default)]
    pub at: BTreeMap<i64, String>,
    #[serde(default)]
    pub yours: BTreeMap<i64, String>,
}
