//! The one write path. Every change to a synced record goes through [`Writer::write`], which in
//! the caller's transaction stamps a clock, appends each field to the journal, moves the field
//! clocks, applies the values and appends an audit row. There is no second way to write.
//! The callers check access (with the [`Session`] they pass in) before they write.

use super::audit_trail;
use crate::audit::chain::EntryContent;
use crate::audit::Action;
use crate::auth::Session;
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::Hlc;
use crate::text::{compact_words, sort_key};
use crate::WriteCtx;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

/// The synced tables and the fields each may carry; nothing else can reach the SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Facilities,
    Locations,
    Participants,
    Staff,
    Groups,
    GroupMembers,
    Sessions,
    Attendance,
    PlanTemplate,
    ReentryPlans,
    PlanItems,
    Resources,
    Appointments,
    Referrals,
    Consents,
    Disclosures,
}

impl Table {
    pub(crate) const ALL: [Table; 16] = [
        Table::Facilities,
        Table::Locations,
        Table::Participants,
        Table::Staff,
        Table::Groups,
        Table::GroupMembers,
        Table::Sessions,
        Table::Attendance,
        Table::PlanTemplate,
        Table::ReentryPlans,
        Table::PlanItems,
        Table::Resources,
        Table::Appointments,
        Table::Referrals,
        Table::Consents,
        Table::Disclosures,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Table::Facilities => "facilities",
            Table::Locations => "locations",
            Table::Participants => "participants",
            Table::Staff => "staff",
            Table::Groups => "groups",
            Table::GroupMembers => "group_members",
            Table::Sessions => "sessions",
            Table::Attendance => "attendance",
            Table::PlanTemplate => "plan_template",
            Table::ReentryPlans => "reentry_plans",
            Table::PlanItems => "plan_items",
            Table::Resources => "resources",
            Table::Appointments => "appointments",
            Table::Referrals => "referrals",
            Table::Consents => "consents",
            Table::Disclosures => "disclosures",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    pub(crate) fn fields(self) -> &'static [&'static str] {
        match self {
            Table::Facilities => &["name", "code", "deleted"],
            Table::Locations => &["facility_id", "kind", "name", "deleted"],
            Table::Participants => &[
                "legal_name",
                "preferred_name",
                "dob",
                "facility_number",
                "facility_id",
                "unit_id",
                "admission_date",
                "release_date",
                "program",
                "status",
                "status_date",
                "status_note",
                "language",
                "notes",
                "deleted",
            ],
            Table::Staff => &["name", "peer_roles", "facility_id", "has_login", "username", "deleted"],
            Table::Groups => &[
                "name",
                "topic",
                "support_type",
                "facility_id",
                "location_id",
                "weekdays",
                "start_time",
                "duration_min",
                "facilitators",
                "capacity",
                "open_group",
                "starts_on",
                "ends_on",
                "deleted",
            ],
            Table::GroupMembers => &["group_id", "participant_id", "joined_on", "deleted"],
            Table::Sessions => &[
                "group_id",
                "occurrence",
                "date",
                "start_time",
                "duration_min",
                "location_id",
                "status",
                "cancel_reason",
                "topic_covered",
                "notes",
                "facilitator_hours",
                "late_reason",
                "deleted",
            ],
            Table::Attendance => &["session_id", "participant_id", "mark", "walk_in", "deleted"],
            Table::PlanTemplate => &["area", "title", "due_days", "sort", "deleted"],
            Table::ReentryPlans => &[
                "participant_id",
                "community_peer",
                "community_peer_phone",
                "community_peer_resource_id",
                "supervision_conditions",
                "first_report_date",
                "first_report_place",
                "deleted",
            ],
            Table::PlanItems => &["participant_id", "template_id", "area", "title", "due_days", "status", "owner", "due_date", "notes", "sort", "deleted"],
            Table::Resources => &["name", "kind", "address", "phone", "contact", "offers", "notes", "site_id", "deleted"],
            Table::Appointments => &[
                "participant_id",
                "area",
                "resource_id",
                "provider",
                "address",
                "phone",
                "date",
                "time",
                "before_release_reason",
                "confirmed",
                "notes",
                "deleted",
            ],
            Table::Referrals => &["participant_id", "resource_id", "area", "status", "sent_on", "notes", "deleted"],
            Table::Consents => &["participant_id", "resource_id", "information", "purpose", "signed_on", "expires_on", "revoked_on", "deleted"],
            Table::Disclosures => &[
                "participant_id",
                "consent_id",
                "resource_id",
                "what",
                "how",
                "disclosed_ms",
                "disclosed_by",
                "confirmed_on",
                "confirmed_how",
                "deleted",
            ],
        }
    }
}

/// A change to one record: the fields that change, with their new values.
pub(crate) struct RecordChange {
    pub table: Table,
    pub id: Uuid,
    pub action: Action,
    pub fields: Vec<(&'static str, Value)>,
}

/// An open write transaction with the site's clock in hand.
pub(crate) struct Writer<'c> {
    tx: Transaction<'c>,
    ctx: &'c WriteCtx,
    who: &'c Session,
    site: SiteId,
    site_no: i64,
    hlc: Hlc,
}

impl<'c> Writer<'c> {
    /// Starts an immediate transaction, so that two processes never interleave their clocks.
    pub(crate) fn begin(conn: &'c mut rusqlite::Connection, ctx: &'c WriteCtx, who: &'c Session) -> Result<Writer<'c>> {
        Self::within(conn.transaction_with_behavior(TransactionBehavior::Immediate)?, ctx, who)
    }

    /// A writer inside a transaction the caller has already started and prepared.
    pub(crate) fn within(tx: Transaction<'c>, ctx: &'c WriteCtx, who: &'c Session) -> Result<Writer<'c>> {
        let (site, site_no, last): (SiteId, i64, i64) = tx
            .query_row(
                "SELECT s.site_id, n.site_no, s.hlc_last FROM site s JOIN site_numbers n ON n.site_id = s.site_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::NotInitialized)?;
        Ok(Writer { tx, ctx, who, site, site_no, hlc: Hlc::unpack(last) })
    }

    /// The transaction, for the reads a change depends on (uniqueness, references).
    pub(crate) fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }

    pub(crate) fn ctx(&self) -> &WriteCtx {
        self.ctx
    }

    pub(crate) fn write(&mut self, change: &RecordChange) -> Result<()> {
        let table = change.table;
        if let Some((bad, _)) = change.fields.iter().find(|(f, _)| !table.fields().contains(f)) {
            return Err(Error::Database(rusqlite::Error::InvalidColumnName(format!("{}.{bad}", table.name()))));
        }
        if change.fields.is_empty() {
            return Ok(());
        }
        self.hlc = self.hlc.tick(self.ctx.now_ms);
        let stamp = self.hlc.pack();
        let mut journal = self.tx.prepare_cached(
            "INSERT INTO journal (hlc, site_no, tbl, record_id, field, value, prev_hlc, prev_site_no)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, c.hlc, c.site_no FROM (SELECT 1) LEFT JOIN field_clocks c
             ON c.tbl = ?3 AND c.record_id = ?4 AND c.field = ?5",
        )?;
        let mut clocks = self.tx.prepare_cached(
            "INSERT INTO field_clocks (tbl, record_id, field, hlc, site_no) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tbl, record_id, field) DO UPDATE SET hlc = excluded.hlc, site_no = excluded.site_no",
        )?;
        let record: &[u8] = change.id.as_bytes();
        for (field, value) in &change.fields {
            journal.execute(params![stamp, self.site_no, table.name(), record, field, json(value).to_string()])?;
            clocks.execute(params![table.name(), record, field, stamp, self.site_no])?;
        }
        let id = change.id.to_string();
        apply_fields(&self.tx, table, &id, change.action == Action::Create, &change.fields)?;

        let detail = change.fields.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(",");
        self.audit(change.action, Some(table.name()), Some(&id), &detail)
    }

    /// Writes a record: every field when it is `new`, else only the fields whose stored value
    /// differs, so that an edit made elsewhere to another field survives the merge.
    pub(crate) fn save(&mut self, table: Table, id: Uuid, new: bool, fields: Vec<(&'static str, Value)>) -> Result<()> {
        let fields = if new {
            fields
        } else {
            let columns = fields.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ");
            let stored: Vec<Value> = self.tx.query_row(&format!("SELECT {columns} FROM {} WHERE id = ?1", table.name()), [id.to_string()], |r| {
                (0..fields.len()).map(|i| r.get::<_, Value>(i)).collect()
            })?;
            fields.into_iter().zip(stored).filter(|((_, value), old)| value != old).map(|(f, _)| f).collect()
        };
        self.write(&RecordChange { table, id, action: if new { Action::Create } else { Action::Update }, fields })
    }

    /// Appends one row to the audit trail in this transaction.
    pub(crate) fn audit(&self, action: Action, table: Option<&str>, record: Option<&str>, detail: &str) -> Result<()> {
        audit_trail::append(
            &self.tx,
            &EntryContent {
                at_ms: i64::try_from(self.ctx.now_ms).unwrap_or(i64::MAX),
                site_id: self.site.to_string(),
                actor: self.who.username.clone(),
                workstation: self.who.workstation.clone(),
                action: action.as_str().to_string(),
                table: table.map(str::to_string),
                record_id: record.map(str::to_string),
                detail: detail.to_string(),
            },
        )
    }

    pub(crate) fn commit(self) -> Result<()> {
        self.tx.execute("UPDATE site SET hlc_last = ?1", [self.hlc.pack()])?;
        self.tx.commit()?;
        Ok(())
    }
}

/// Puts values into a synced table's row (made first when `create`), with the derived columns
/// the store keeps beside them. Shared by local writes and imported changes.
pub(crate) fn apply_fields(conn: &rusqlite::Connection, table: Table, id: &str, create: bool, fields: &[(&'static str, Value)]) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    if create {
        conn.prepare_cached(&format!("INSERT OR IGNORE INTO {} (id) VALUES (?1)", table.name()))?.execute([id])?;
    }
    let mut sets: Vec<String> = fields.iter().enumerate().map(|(i, (f, _))| format!("{f} = ?{}", i + 2)).collect();
    let mut values: Vec<Value> = fields.iter().map(|(_, v)| v.clone()).collect();
    if table == Table::Participants {
        if let Some((_, Value::Text(name))) = fields.iter().find(|(f, _)| *f == "legal_name") {
            sets.push(format!("sort_name = ?{}", values.len() + 2));
            values.push(Value::Text(sort_key(name)));
            sets.push(format!("name_compact = ?{}", values.len() + 2));
            values.push(Value::Text(compact_words(name)));
        }
    }
    let sql = format!("UPDATE {} SET {} WHERE id = ?1", table.name(), sets.join(", "));
    let mut update = conn.prepare_cached(&sql)?;
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&id];
    args.extend(values.iter().map(|v| v as &dyn rusqlite::ToSql));
    update.execute(args.as_slice())?;
    Ok(())
}

/// A column value as the journal stores it.
pub(crate) fn json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Value::from(*f),
        Value::Text(t) => serde_json::Value::from(t.as_str()),
        Value::Blob(b) => serde_json::Value::from(b.clone()),
    }
}

/// A text value, or SQL NULL for `None`.
pub(crate) fn text(v: Option<impl Into<String>>) -> Value {
    v.map_or(Value::Null, |s| Value::Text(s.into()))
}
