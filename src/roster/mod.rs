//! Rosters from a jail's or prison's management system: a CSV or XLSX file as it really is
//! (read), where its header and people are (layout), how its dates are written (dates), which
//! column holds what (mapping), the people it lists (entries), how they differ from the
//! records kept (compare), and the records written back as a roster (export). Nothing here
//! touches the database: the store loads the records and writes what a person confirms.

pub mod compare;
pub mod dates;
pub mod entries;
pub mod export;
pub mod layout;
pub mod mapping;
pub mod read;

pub use compare::{compare, Comparison, Decisions, Known, Moving, Records, ReturnDecision, Way};
pub use dates::{Century, DateFormat, Detected};
pub use entries::{entries, Entry, Refusal, RosterRows};
pub use layout::{layout, Layout};
pub use mapping::{propose, ColumnUse, Field, Mapping};
pub use read::{read, FileKind, Sheet};
