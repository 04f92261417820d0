//! Clocks and, as sync grows, the bundle format, export and import.

pub(crate) mod bundle;
mod card;
#[cfg(any(test, fuzzing))]
pub mod fuzz;
mod hlc;

pub use card::{fingerprint, SiteCard};
pub(crate) use card::SiteKeys;
pub use hlc::Hlc;
