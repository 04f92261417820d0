//! Bridger's core: the domain, the store, clocks and the command-line tool's logic.
//!
//! Nothing here knows about Tauri or any GUI; the desktop shell and the CLI both call this crate,
//! so every rule holds wherever a record is written.

// First, so that `said!` is in scope in every module after it.
#[macro_use]
pub mod error;
pub mod audit;
pub mod auth;
pub mod demo;
pub mod files;
#[cfg(any(test, fuzzing))]
pub mod fuzz;
pub mod model;
pub mod paths;
pub mod permission;
pub mod reports;
pub mod roster;
pub mod site;
pub mod store;
pub mod sync;
pub mod text;

pub use error::{Error, ErrorCode, FieldError, Result};
pub use store::{Store, WriteCtx};
