//! The local site: this workstation's identity. It is never synced; every record it writes
//! carries its id.

use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::text::clean_line;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteInfo {
    pub site_id: SiteId,
    pub name: String,
    pub created_ms: i64,
}

impl Store {
    /// Gives a new database its site identity. Refused if the database already has one.
    pub fn init_site(&mut self, ctx: &WriteCtx, name: &str) -> Result<SiteInfo> {
        let name = clean_line(name);
        if name.is_empty() || name.chars().count() > 120 {
            return Err(Error::field("site_name", "the site needs a name of 1 to 120 characters, such as \"County Jail – Peer Office\""));
        }
        if let Some(existing) = self.site_opt()? {
            return Err(Error::field(
                "site_name",
                format!("this database already belongs to the site \"{}\"", existing.name),
            ));
        }
        let site_id = SiteId::from_uuid(ctx.new_uuid());
        let created_ms = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO site (singleton, site_id, name, created_ms) VALUES (1, ?1, ?2, ?3)",
            params![site_id, name, created_ms],
        )?;
        tx.execute("INSERT OR IGNORE INTO site_numbers (site_id) VALUES (?1)", [site_id])?;
        let writer = Writer::within(tx, ctx)?;
        writer.audit(Action::InitSite, None, None, "")?;
        writer.commit()?;
        Ok(SiteInfo { site_id, name, created_ms })
    }

    pub fn site(&self) -> Result<SiteInfo> {
        self.site_opt()?.ok_or(Error::NotInitialized)
    }

    pub(crate) fn site_opt(&self) -> Result<Option<SiteInfo>> {
        Ok(self
            .conn
            .query_row("SELECT site_id, name, created_ms FROM site", [], |r| {
                Ok(SiteInfo { site_id: r.get(0)?, name: r.get(1)?, created_ms: r.get(2)? })
            })
            .optional()?)
    }
}

impl Store {
    /// First run of a new workstation: the site and its first facility. Both are checked before
    /// either is written, so a mistake in the form leaves nothing half set up.
    pub fn setup(&mut self, ctx: &WriteCtx, site_name: &str, facility: &crate::model::NewFacility) -> Result<SiteInfo> {
        facility.validated()?;
        let site = self.init_site(ctx, site_name)?;
        self.create_facility(ctx, facility)?;
        Ok(site)
    }
}
