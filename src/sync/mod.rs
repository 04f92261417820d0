//! Clocks and, as sync grows, the bundle format, export and import.

mod card;
mod hlc;

pub use card::{fingerprint, SiteCard};
pub(crate) use card::SiteKeys;
pub use hlc::Hlc;
