//! The community resource directory: providers, recovery residences, recovery community
//! organisations, benefits and supervision offices. An entry may be linked to a trusted
//! community-partner site, which makes it a hand-off recipient.

use super::columns::uuid_col;
use super::peers::peer_kind;
use super::schema::Table;
use super::write::text;
use super::{PeerKind, Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{Resource, ResourceInput, ResourceKind, SiteId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

const RESOURCE_COLUMNS: &str = "id, name, kind, address, phone, contact, offers, notes, site_id";

pub(crate) fn load_resource(conn: &Connection, id: Uuid) -> Result<Resource> {
    conn.query_row(&format!("SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?1 AND deleted = 0"), [id.to_string()], resource_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "community resource", id: id.to_string() })
}

fn resource_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Resource> {
    Ok(Resource {
        id: uuid_col(r.get(0)?).unwrap_or_default(),
        name: r.get(1)?,
        kind: ResourceKind::parse(&r.get::<_, String>(2)?).unwrap_or(ResourceKind::Other),
        address: r.get(3)?,
        phone: r.get(4)?,
        contact: r.get(5)?,
        offers: r.get(6)?,
        notes: r.get(7)?,
        site_id: r.get::<_, Option<String>>(8)?.and_then(|s| s.parse().ok()),
    })
}

pub(crate) fn all_resources(conn: &Connection, query: &str) -> Result<Vec<Resource>> {
    let like = format!("%{}%", query.trim().replace('%', ""));
    let mut stmt = conn.prepare(&format!(
        "SELECT {RESOURCE_COLUMNS} FROM resources
         WHERE deleted = 0 AND (name LIKE ?1 OR coalesce(offers, '') LIKE ?1 OR kind LIKE ?1 OR coalesce(address, '') LIKE ?1)
         ORDER BY name COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([like], resource_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// The community resource directory, filtered by a few letters of the name, kind or offer.
    pub fn resources(&self, query: &str) -> Result<Vec<Resource>> {
        self.allowed(Need::Role(Permission::ReentryWork))?;
        all_resources(&self.conn, query)
    }

    /// Adds a resource to the directory (`id` none) or saves changes to one. `site` links it to
    /// a trusted site, which must be trusted here as a community partner.
    pub fn save_resource(&mut self, ctx: &WriteCtx, id: Option<Uuid>, input: &ResourceInput, site: Option<SiteId>) -> Result<Resource> {
        let (name, kind) = input.validate()?;
        if let Some(site) = site {
            if peer_kind(&self.conn, site)? != Some(PeerKind::Partner) {
                return Err(Error::field("site_id", said!("that site is not trusted here as a community partner: add its card on the Sync screen as a partner first", "ese sitio no es de confianza aquí como socio comunitario: añada antes su tarjeta como socio en la pantalla Sincronizar")));
            }
        }
        let id = self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            let (id, new) = match id {
                Some(id) => {
                    load_resource(w.tx(), id)?;
                    (id, false)
                }
                None => (ctx.new_uuid(), true),
            };
            let optional = |s: &str| text(crate::model::optional_text(s));
            w.save(
                Table::Resources,
                id,
                new,
                vec![
                    ("name", Value::Text(name)),
                    ("kind", Value::Text(kind.as_str().into())),
                    ("address", optional(&input.address)),
                    ("phone", optional(&input.phone)),
                    ("contact", optional(&input.contact)),
                    ("offers", optional(&input.offers)),
                    ("notes", optional(&input.notes)),
                    ("site_id", text(site.map(|s| s.to_string()))),
                ],
            )?;
            Ok(id)
        })?;
        load_resource(&self.conn, id)
    }
}
