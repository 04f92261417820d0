//! The synced content of a site, read back whole: the journal as written and the current value
//! of every journalled field. What sync compares, and what tests check the write path against.
//! All of it is every facility's records, so only an account that covers every facility and
//! may export reads it.

use super::schema::Table;
use super::write::{json, Clocks};
use super::Store;
use crate::auth::{Need, Permission};
use crate::error::Result;
use rusqlite::types::Value;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct JournalEntry {
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
    /// Every journal entry in clock order, the order a merge replays them in.
    pub fn journal_entries(&self) -> Result<Vec<JournalEntry>> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        let mut stmt = self.conn.prepare(
            "SELECT j.hlc, n.site_id, j.tbl, j.record_id, j.field, j.value
             FROM journal j JOIN site_numbers n ON n.site_no = j.site_no ORDER BY j.hlc, n.site_id, j.tbl, j.record_id, j.field",
        )?;
        let rows = stmt.query_map([], |r| {
            let text: String = r.get(5)?;
            Ok(JournalEntry {
                hlc: r.get(0)?,
                site_id: r.get(1)?,
                tbl: r.get(2)?,
                record_id: uuid_text(r, 3)?,
                field: r.get(4)?,
                value: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current value of every field of every synced record that has a clock.
    pub fn synced_records(&self) -> Result<SyncedRecords> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        let mut clocked: BTreeSet<(String, String, String)> = BTreeSet::new();
        let mut stmt = self.conn.prepare("SELECT tbl, record_id, clocks FROM record_clocks")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, uuid_text(r, 1)?, r.get::<_, Clocks>(2)?)))? {
            let (table, id, clocks) = row?;
            clocked.extend(clocks.0.into_keys().map(|field| (table.clone(), id.clone(), field)));
        }
        let mut out = SyncedRecords::new();
        for table in Table::ALL {
            let fields: Vec<&str> = table.field_names().collect();
            let sql = format!("SELECT id, {} FROM {}", fields.join(", "), table.name());
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                for (i, field) in fields.iter().enumerate() {
                    if clocked.contains(&(table.name().to_string(), id.clone(), field.to_string())) {
                        let value: Value = row.get(i + 1)?;
                        out.entry((table.name().to_string(), id.clone())).or_default().insert(field.to_string(), json(&value));
                    }
                }
            }
        }
        Ok(out)
    }
}

impl Store {
    /// A digest of every synced field's current value, independent of the order changes
    /// arrived in: two sites hold the same data exactly when their digests are equal.
    pub fn content_digest(&self) -> Result<String> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        let mut h = Sha256::new();
        for ((table, id), fields) in self.synced_records()? {
            // An emptied field and one never filled hold the same data.
            for (field, value) in fields.into_iter().filter(|(_, v)| !v.is_null()) {
                for part in [table.as_str(), id.as_str(), field.as_str(), &value.to_string()] {
                    h.update((part.len() as u64).to_le_bytes());
                    h.update(part.as_bytes());
                }
            }
        }
        let digest: [u8; 32] = h.finalize().into();
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// A record id stored as its 16 bytes, read back in its usual text form.
fn uuid_text(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    let bytes: Vec<u8> = r.get(i)?;
    Uuid::from_slice(&bytes)
        .map(|u| u.to_string())
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, Box::new(e)))
}
