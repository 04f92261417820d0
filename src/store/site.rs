//! The local site: this workstation's identity. It is never synced; every record it writes
//! carries its id.

use super::accounts::{validated, write_account, NewAccount};
use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::Role;
use crate::error::{Error, FieldError, Result};
use crate::model::{NewFacility, SiteId};
use crate::text::clean_line;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteInfo {
    pub site_id: SiteId,
    pub name: String,
    pub created_ms: i64,
}

/// What a new site starts with: its name, its first administrator and, from the app, its
/// first facility.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SiteSetup {
    pub site_name: String,
    pub admin: NewAccount,
    pub facility: Option<NewFacility>,
}

impl Store {
    /// First run: the site identity, the first administrator (who is then signed in) and the
    /// first facility. Everything is checked before anything is written.
    pub fn setup(&mut self, ctx: &WriteCtx, setup: &SiteSetup) -> Result<SiteInfo> {
        let name = clean_line(&setup.site_name);
        let mut errors = Vec::new();
        if name.is_empty() || name.chars().count() > 120 {
            errors.push(FieldError::new("site_name", "the site needs a name of 1 to 120 characters, such as \"County Jail – Peer Office\""));
        }
        if let Some(existing) = self.site_opt()? {
            errors.push(FieldError::new("site_name", format!("this database already belongs to the site \"{}\"", existing.name)));
        }
        if !setup.admin.roles.contains(&Role::Admin) {
            errors.push(FieldError::new("roles", "the first account must be an administrator"));
        }
        if let Some(Err(Error::Validation(mut e))) = setup.facility.as_ref().map(NewFacility::validated) {
            errors.append(&mut e);
        }
        let mut admin = match validated(&self.conn, &setup.admin) {
            Ok(v) => Some(v),
            Err(Error::Validation(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        let Some(admin) = admin.as_mut().filter(|_| errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        admin.id = ctx.new_uuid().to_string();
        let session = admin.session();
        let site_id = SiteId::from_uuid(ctx.new_uuid());
        let created_ms = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO site (singleton, site_id, name, created_ms) VALUES (1, ?1, ?2, ?3)",
            params![site_id, name, created_ms],
        )?;
        tx.execute("INSERT OR IGNORE INTO site_numbers (site_id) VALUES (?1)", [site_id])?;
        let writer = Writer::within(tx, ctx, &session)?;
        writer.audit(Action::InitSite, None, None, &name)?;
        write_account(&writer, ctx, admin, false)?;
        writer.commit()?;
        self.who = Some(session);
        if let Some(facility) = &setup.facility {
            self.create_facility(ctx, facility)?;
        }
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
