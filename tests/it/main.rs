//! Integration tests of the core: one binary, one module per area.

mod access;
mod architecture;
mod bundles;
mod cli;
mod convergence;
mod crash;
mod episodes;
mod fixture;
mod format1;
mod groups;
mod handoff;
mod insider;
mod journal;
mod mentors;
mod migrations;
mod peer_work;
mod peers;
mod query_plans;
mod program_report;
mod reentry;
mod schema;
mod search;
mod security;
mod staff;
mod store;
mod upgrade;
