//! The program's plan template: the items every new reentry plan starts with. The default one
//! stands until the program changes it; then it is written out as records, with ids derived from
//! each item's key so that two workstations writing it make one template after sync.

use super::columns::{area_col, uuid_col};
use super::schema::Table;
use super::write::Writer;
use super::{Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{derived_id, Area, PlanItemInput, TemplateItem, DEFAULT_TEMPLATE};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

/// The id a template item has on every workstation, so that the default template written at
/// two sites is one template after sync.
fn default_template_id(key: &str) -> Uuid {
    derived_id(&["plan-template", key])
}

/// The template as stored, or the default one while the program has not changed it.
pub(crate) fn load_template(conn: &Connection) -> Result<Vec<TemplateItem>> {
    let stored: i64 = conn.query_row("SELECT count(*) FROM plan_template", [], |r| r.get(0))?;
    if stored == 0 {
        return Ok(DEFAULT_TEMPLATE
            .iter()
            .enumerate()
            .map(|(i, d)| TemplateItem { id: default_template_id(d.key), area: d.area, title: d.title.into(), due_days: d.due_days, sort: i as i64 })
            .collect());
    }
    let mut stmt = conn.prepare("SELECT id, area, title, due_days, sort FROM plan_template WHERE deleted = 0 ORDER BY sort, title")?;
    let rows = stmt.query_map([], |r| {
        Ok(TemplateItem { id: uuid_col(r.get(0)?).unwrap_or_default(), area: area_col(&r.get::<_, String>(1)?), title: r.get(2)?, due_days: r.get(3)?, sort: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes the default template as records, before the program's first change to it.
fn materialize_template(w: &mut Writer<'_>) -> Result<()> {
    let stored: i64 = w.tx().query_row("SELECT count(*) FROM plan_template", [], |r| r.get(0))?;
    if stored > 0 {
        return Ok(());
    }
    for item in load_template(w.tx())? {
        w.save(Table::PlanTemplate, item.id, true, template_fields(item.area, &item.title, item.due_days, item.sort))?;
    }
    Ok(())
}

pub(crate) fn template_fields(area: Area, title: &str, due_days: i64, sort: i64) -> Vec<(&'static str, Value)> {
    vec![
        ("area", Value::Text(area.as_str().into())),
        ("title", Value::Text(title.into())),
        ("due_days", Value::Integer(due_days)),
        ("sort", Value::Integer(sort)),
    ]
}

impl Store {
    /// The plan template: the program's, or the default until the program changes it.
    pub fn plan_template(&self) -> Result<Vec<TemplateItem>> {
        self.allowed(Need::Role(Permission::ReentryWork))?;
        load_template(&self.conn)
    }

    /// Adds a template item (`id` none) or changes one; new plans start from the template.
    pub fn save_template_item(&mut self, ctx: &WriteCtx, id: Option<Uuid>, input: &PlanItemInput) -> Result<Vec<TemplateItem>> {
        let v = input.validate()?;
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            materialize_template(w)?;
            let (id, new, sort) = match id {
                Some(id) => {
                    let sort: i64 = w
                        .tx()
                        .query_row("SELECT sort FROM plan_template WHERE id = ?1 AND deleted = 0", [id.to_string()], |r| r.get(0))
                        .optional()?
                        .ok_or_else(|| Error::NotFound { what: "template item", id: id.to_string() })?;
                    (id, false, sort)
                }
                None => (ctx.new_uuid(), true, w.tx().query_row("SELECT coalesce(max(sort), 0) + 1 FROM plan_template", [], |r| r.get(0))?),
            };
            w.save(Table::PlanTemplate, id, new, template_fields(v.area, &v.title, v.due_days, sort))
        })?;
        load_template(&self.conn)
    }

    /// Takes an item out of the template; plans already started keep theirs.
    pub fn remove_template_item(&mut self, ctx: &WriteCtx, id: Uuid) -> Result<Vec<TemplateItem>> {
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            materialize_template(w)?;
            let known: bool = w.tx().query_row("SELECT count(*) > 0 FROM plan_template WHERE id = ?1 AND deleted = 0", [id.to_string()], |r| r.get(0))?;
            if !known {
                return Err(Error::NotFound { what: "template item", id: id.to_string() });
            }
            w.save(Table::PlanTemplate, id, false, vec![("deleted", Value::Integer(1))])
        })?;
        load_template(&self.conn)
    }
}
