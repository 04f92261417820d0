//! The local site: this workstation's identity and its first run. It is never synced; every
//! record it writes carries its id.

use super::accounts::{self, NewAccount};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Role};
use crate::error::{Error, FieldError, Result};
use crate::model::{NewFacility, SiteId};
use crate::text::clean_line;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SiteInfo {
    pub site_id: SiteId,
    pub name: String,
    pub created_ms: i64,
}

/// What a new site starts with: its name, its first administrator and, from the app, its
/// first facility.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct SiteSetup {
    pub site_name: String,
    pub admin: NewAccount,
    pub facility: Option<NewFacility>,
}

pub(crate) fn site_row(conn: &Connection) -> Result<Option<SiteInfo>> {
    Ok(conn
        .query_row("SELECT site_id, name, created_ms FROM site", [], |r| Ok(SiteInfo { site_id: r.get(0)?, name: r.get(1)?, created_ms: r.get(2)? }))
        .optional()?)
}

impl Store {
    /// First run: the site identity, the first administrator (who is then signed in) and the
    /// first facility. Everything is checked before anything is written.
    pub fn setup(&mut self, ctx: &WriteCtx, setup: &SiteSetup) -> Result<SiteInfo> {
        let name = clean_line(&setup.site_name);
        let mut errors = Vec::new();
        if name.is_empty() || name.chars().count() > 120 {
            errors.push(FieldError::new("site_name", said!("the site needs a name of 1 to 120 characters, such as \"County Jail – Peer Office\"", "el sitio necesita un nombre de 1 a 120 caracteres, como «Cárcel del condado – Oficina de pares»")));
        }
        if site_row(&self.conn)?.is_some() {
            errors.push(FieldError::new("site_name", said!("this database already belongs to a site", "esta base de datos ya pertenece a un sitio")));
        }
        if !setup.admin.roles.contains(&Role::Admin) {
            errors.push(FieldError::new("roles", said!("the first account must be an administrator", "la primera cuenta debe ser de administrador")));
        }
        if let Some(Err(Error::Validation(mut e))) = setup.facility.as_ref().map(NewFacility::validated) {
            errors.append(&mut e);
        }
        let admin = match accounts::validated(&self.conn, &setup.admin) {
            Ok(v) => Some(v),
            Err(Error::Validation(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        let Some(mut admin) = admin.filter(|_| errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        admin.id = ctx.new_uuid().to_string();
        let site_id = SiteId::from_uuid(ctx.new_uuid());
        // The first administrator acts from here on; if anything below fails, nobody does.
        self.who = Some(admin.session());
        let made = self.change(ctx, Need::Role(Permission::ManageSite), |w| {
            w.create_site(site_id, &name)?;
            w.audit(Action::InitSite, None, None, "")?;
            accounts::write_account(w, &admin, false)
        });
        if let Err(e) = made {
            self.who = None;
            return Err(e);
        }
        if let Some(facility) = &setup.facility {
            self.create_facility(ctx, facility)?;
        }
        self.site()
    }

    pub fn site(&self) -> Result<SiteInfo> {
        self.allowed(Need::SignedIn)?;
        site_row(&self.conn)?.ok_or(Error::NotInitialized)
    }
}
