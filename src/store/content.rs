//! The synced content of a site, read back whole: the journal as written and the current value
//! of every journalled field. What sync compares, and what tests check the write path against.

use super::write::{json, Table};
use super::Store;
use crate::error::Result;
use rusqlite::types::Value;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalEntry {
    pub seq: i64,
    pub hlc: i64,
    pub site_id: String,
    pub tbl: String,
    pub record_id: String,
    pub field: String,
    pub value: serde_json::Value,
}

/// (table, record id) → field → value, for every field that has a clock.
pub type SyncedRecords = BTreeMap<(String, String), BTreeMap<String, serde_json::Value>>;

impl Store {
    /// Every journal entry in the order this site learned of it.
    pub fn journal_entries(&self) -> Result<Vec<JournalEntry>> {
        let mut stmt = self.conn.prepare("SELECT seq, hlc, site_id, tbl, record_id, field, value FROM journal ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            let text: String = r.get(6)?;
            Ok(JournalEntry {
                seq: r.get(0)?,
                hlc: r.get(1)?,
                site_id: r.get(2)?,
                tbl: r.get(3)?,
                record_id: r.get(4)?,
                field: r.get(5)?,
                value: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current value of every field of every synced record that has a clock.
    pub fn synced_records(&self) -> Result<SyncedRecords> {
        let mut out = SyncedRecords::new();
        for table in Table::ALL {
            for field in table.fields() {
                let sql = format!(
                    "SELECT t.id, t.{field} FROM {name} t JOIN field_clocks c
                     ON c.tbl = '{name}' AND c.record_id = t.id AND c.field = '{field}'",
                    name = table.name()
                );
                let mut stmt = self.conn.prepare(&sql)?;
                let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Value>(1)?)))?;
                for row in rows {
                    let (id, value) = row?;
                    out.entry((table.name().to_string(), id)).or_default().insert(field.to_string(), json(&value));
                }
            }
        }
        Ok(out)
    }
}
