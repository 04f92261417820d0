//! Integration tests of the core: one binary, one module per area.

mod architecture;
mod cli;
mod crash;
mod fixture;
mod journal;
mod migrations;
mod schema;
mod search;
mod store;
