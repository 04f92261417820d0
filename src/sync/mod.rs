//! Clocks and, as sync grows, the bundle format, export and import.

mod hlc;

pub use hlc::Hlc;
