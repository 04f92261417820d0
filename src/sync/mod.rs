//! Sync without a network: clocks, site keys and cards, and the two files that travel between
//! sites (the bundle and its receipt). What is read from or written to the database for them is
//! the store's; the formats and their checks are here.

pub(crate) mod bundle;
mod card;
mod hlc;
pub(crate) mod payload;
pub(crate) mod receipt;
pub(crate) mod segment;

pub use card::{fingerprint, SiteCard};
pub(crate) use card::SiteKeys;
pub use hlc::Hlc;

use crate::model::SiteId;
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

/// The names a format-2 bundle's changes refer to by number (docs/bundle-format.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub tables: Vec<String>,
    pub fields: Vec<String>,
    pub sites: Vec<SiteId>,
}

impl Names {
    pub(crate) fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.fields.is_empty() && self.sites.is_empty()
    }
}
