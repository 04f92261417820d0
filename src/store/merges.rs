//! Merging two records of one person (ADR 25). A merge moves what hangs from the merged record
//! onto the kept one through the write path, fills the kept record's blanks, makes on the kept
//! record what has an id derived from the person (the reentry plan, template plan items, group
//! places, roll-call marks), and tombstones the merged record. It is a synced record, and every
//! site that holds it [`settle`]s after each import: records that arrive naming the merged
//! person move to the kept one, and what was changed on the merged record after the merge (by a
//! site that did not know of it) is carried over when it is the newer. Undoing a merge puts back
//! what it filled, made and moved; the same settling moves back what other sites moved.

use super::bundles::seen;
use super::columns::{date_col, uuid_col};
use super::groups::membership_id;
use super::participants::load;
use super::plans::{plan_id, plan_item_id};
use super::schema::{Table, MOVED_BY_MERGE};
use super::scope::within;
use super::transfers::waiting_transfer_to;
use super::write::{column_value, json, newer, read_clocks, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result, Said};
use crate::model::{derived_id, merge_reason, FacilityId, GroupId, ItemStatus, Mark, MeetingId, MergeInput, MergedRecord, ParticipantId, ParticipantMerge, SiteId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The person's own fields: filled on the kept record where blank, and carried over when the
/// merged record's is changed later. Housing, number, facility and status belong to where a
/// record is held, and stay the kept record's.
const PERSON_FIELDS: &[&str] = &["legal_name", "preferred_name", "dob", "state_number", "admission_date", "release_date", "release_note", "program", "language", "notes", "charges"];
/// Filled too when both records are at one facility: there they mean the same place and peer.
const SAME_FACILITY_FIELDS: &[&str] = &["unit_id", "cell", "peer_id"];
/// The most merges the list shows, the latest first.
const LISTED: i64 = 200;

/// The records whose id is derived from the person, and the column that, with the person,
/// makes their id.
const DERIVED: &[(Table, Option<&str>)] =
    &[(Table::ReentryPlans, None), (Table::PlanItems, Some("template_id")), (Table::GroupMembers, Some("group_id")), (Table::Attendance, Some("session_id"))];

/// Something a merge did to a record other than moving it, so undoing it can put it back.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Done {
    /// A field set from `before` to `after`.
    Set { table: String, id: Uuid, field: String, before: serde_json::Value, after: serde_json::Value },
    /// A record made (or brought back from a tombstone) with these values.
    Made { table: String, id: Uuid, values: BTreeMap<String, serde_json::Value> },
}

/// What a merge did, as its record keeps it (a JSON object, as the field holds).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Changes {
    done: Vec<Done>,
}

/// A merge as settling needs it.
struct Merge {
    id: Uuid,
    kept: ParticipantId,
    merged: ParticipantId,
    seen: BTreeMap<SiteId, i64>,
    undone: bool,
}

/// The id `person`'s twin of a derived record has: the same recipe, the other person.
fn twin(table: Table, key: Option<&str>, person: ParticipantId) -> Option<Uuid> {
    let key = key.and_then(|k| Uuid::parse_str(k).ok());
    match (table, key) {
        (Table::ReentryPlans, _) => Some(plan_id(person)),
        (Table::PlanItems, Some(template)) => Some(plan_item_id(person, template)),
        (Table::GroupMembers, Some(group)) => Some(membership_id(GroupId::from_uuid(group), person)),
        (Table::Attendance, Some(session)) => Some(MeetingId::from_uuid(session).attendance(person)),
        _ => None,
    }
}

/// A record's fields as stored, or `None` when it is not here.
fn read_row(conn: &Connection, table: Table, id: Uuid) -> Result<Option<BTreeMap<&'static str, Value>>> {
    let fields: Vec<&'static str> = table.field_names().collect();
    let sql = format!("SELECT {} FROM {} WHERE id = ?1", fields.join(", "), table.name());
    let row = conn.prepare_cached(&sql)?.query_row([id.to_string()], |r| fields.iter().enumerate().map(|(i, f)| Ok((*f, r.get::<_, Value>(i)?))).collect()).optional()?;
    Ok(row)
}

fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Text(t)) => t.trim().is_empty(),
        Some(_) => false,
    }
}

fn text_of(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::Text(t)) => Some(t),
        _ => None,
    }
}

/// The ids of `person`'s records in `table` (live ones only when `live`), with `also` added to
/// the condition.
fn ids_of(conn: &Connection, table: Table, person: ParticipantId, live: bool, also: &str) -> Result<Vec<Uuid>> {
    let live = if live { " AND deleted = 0" } else { "" };
    let ids: Vec<String> = conn
        .prepare_cached(&format!("SELECT id FROM {} WHERE participant_id = ?1{live}{also}", table.name()))?
        .query_map([person], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| Uuid::parse_str(id).ok()).collect())
}

/// A derived record's values as `person`'s twin of it has them: the same, but theirs and live.
fn twin_values(row: &BTreeMap<&'static str, Value>, person: ParticipantId) -> Vec<(&'static str, Value)> {
    row.iter().filter(|(f, _)| **f != "deleted").map(|(f, v)| if *f == "participant_id" { (*f, Value::Text(person.to_string())) } else { (*f, v.clone()) }).collect()
}

/// A merge's writes, each noted so undoing the merge can reverse it.
struct Doing<'a, 'c> {
    w: &'a mut Writer<'c>,
    done: Vec<Done>,
}

impl Doing<'_, '_> {
    fn set(&mut self, table: Table, id: Uuid, fields: Vec<(&'static str, Value, Value)>) -> Result<()> {
        if fields.is_empty() {
            return Ok(());
        }
        let mut change = Vec::with_capacity(fields.len());
        for (field, before, after) in fields {
            self.done.push(Done::Set { table: table.name().into(), id, field: field.into(), before: json(&before), after: json(&after) });
            change.push((field, after));
        }
        let action = if change.iter().any(|(f, v)| *f == "deleted" && *v == Value::Integer(1)) { Action::Delete } else { Action::Update };
        self.w.write(&RecordChange { table, id, action, fields: change })
    }

    /// Makes `id` with `fields`, or brings it back from its tombstone with them.
    fn make(&mut self, table: Table, id: Uuid, exists: bool, mut fields: Vec<(&'static str, Value)>) -> Result<()> {
        let values = fields.iter().map(|(f, v)| ((*f).to_string(), json(v))).collect();
        self.done.push(Done::Made { table: table.name().into(), id, values });
        fields.push(("deleted", Value::Integer(0)));
        self.w.write(&RecordChange { table, id, action: if exists { Action::Update } else { Action::Create }, fields })
    }
}

/// Fills the kept record's blank fields from the merged one's.
fn fill_person(d: &mut Doing<'_, '_>, kept: ParticipantId, merged: ParticipantId) -> Result<()> {
    let (Some(k), Some(m)) = (read_row(d.w.tx(), Table::Participants, kept.uuid())?, read_row(d.w.tx(), Table::Participants, merged.uuid())?) else {
        return Ok(());
    };
    let same_place = k.get("facility_id") == m.get("facility_id");
    let fields = PERSON_FIELDS.iter().chain(if same_place { SAME_FACILITY_FIELDS } else { &[] });
    let filled = fields.filter(|f| is_blank(k.get(*f)) && !is_blank(m.get(*f))).map(|f| (*f, k[f].clone(), m[f].clone())).collect();
    d.set(Table::Participants, kept.uuid(), filled)
}

/// Makes on the kept record each record the merged one has whose id is derived from the
/// person, or fills the kept record's own: blanks filled, a plan item as far along as the
/// further of the two, a roll-call mark "present" when either says so. The merged record's are
/// tombstoned, as it is.
fn merge_derived(d: &mut Doing<'_, '_>, kept: ParticipantId, merged: ParticipantId) -> Result<()> {
    for &(table, key) in DERIVED {
        for id in ids_of(d.w.tx(), table, merged, true, "")? {
            let Some(from) = read_row(d.w.tx(), table, id)? else { continue };
            let Some(to_id) = twin(table, key.and_then(|k| text_of(from.get(k))), kept) else { continue };
            let to = read_row(d.w.tx(), table, to_id)?;
            match to.filter(|t| t.get("deleted") == Some(&Value::Integer(0))) {
                Some(to) => {
                    let better = |field: &'static str| -> Option<(&'static str, Value, Value)> {
                        let (a, b) = (text_of(to.get(field))?, text_of(from.get(field))?);
                        let further = match table {
                            Table::PlanItems => ItemStatus::parse(b)?.progress() > ItemStatus::parse(a)?.progress(),
                            _ => b == Mark::Present.as_str() && a != b,
                        };
                        further.then(|| (field, to[field].clone(), from[field].clone()))
                    };
                    let mut fields: Vec<(&'static str, Value, Value)> = match table {
                        Table::PlanItems => better("status").into_iter().collect(),
                        Table::Attendance => better("mark").into_iter().collect(),
                        _ => Vec::new(),
                    };
                    let fillable = |f: &&'static str| !matches!(*f, "participant_id" | "deleted") && Some(*f) != key && !fields.iter().any(|(g, ..)| *g == *f);
                    let blanks: Vec<_> = table.field_names().filter(fillable).filter(|f| is_blank(to.get(f)) && !is_blank(from.get(f))).map(|f| (f, to[f].clone(), from[f].clone())).collect();
                    fields.extend(blanks);
                    d.set(table, to_id, fields)?;
                }
                // A place in a group at another facility than the kept record's is not theirs.
                None if table == Table::GroupMembers && !in_kept_facility(d.w.tx(), from.get("group_id"), kept)? => {}
                None => {
                    let exists = d.w.tx().prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", table.name()))?.exists([to_id.to_string()])?;
                    d.make(table, to_id, exists, twin_values(&from, kept))?;
                }
            }
            d.set(table, id, vec![("deleted", Value::Integer(0), Value::Integer(1))])?;
        }
    }
    Ok(())
}

/// Whether the group `group` meets at the facility holding `kept`.
fn in_kept_facility(conn: &Connection, group: Option<&Value>, kept: ParticipantId) -> Result<bool> {
    let Some(group) = text_of(group) else { return Ok(false) };
    Ok(conn
        .prepare_cached("SELECT 1 FROM groups g JOIN participants p ON p.facility_id = g.facility_id WHERE g.id = ?1 AND p.id = ?2")?
        .exists(rusqlite::params![group, kept])?)
}

/// Notes that `merge` moved `record` of `table`, unless noted already: the same row wherever
/// it is noted, so two sites noting one move write one record.
fn note_move(w: &mut Writer<'_>, merge: Uuid, table: Table, record: Uuid) -> Result<()> {
    let noted = derived_id(&["merge-move", &merge.to_string(), table.name(), &record.to_string()]);
    if w.tx().prepare_cached("SELECT 1 FROM merge_moves WHERE id = ?1")?.exists([noted.to_string()])? {
        return Ok(());
    }
    let fields = vec![("merge_id", Value::Text(merge.to_string())), ("tbl", Value::Text(table.name().to_string())), ("record_id", Value::Text(record.to_string()))];
    w.write(&RecordChange { table: Table::MergeMoves, id: noted, action: Action::Create, fields })
}

/// Moves every live record that hangs from `from` (and is not derived from the person) to `to`,
/// noting each as moved by each of `merges` (the merges that lead from one to the other).
/// Records in `placed` are left alone: a merge moved them before, and where they belong is
/// decided by their own person ([`place_moved`]).
fn move_records(w: &mut Writer<'_>, merges: &[Uuid], from: ParticipantId, to: ParticipantId, placed: &HashSet<(Table, Uuid)>) -> Result<()> {
    for name in MOVED_BY_MERGE {
        let Some(table) = Table::parse(name) else { continue };
        // Template items are derived from the person (merge_derived); the person's own move.
        let own = if table == Table::PlanItems { " AND template_id IS NULL" } else { "" };
        for id in ids_of(w.tx(), table, from, true, own)?.into_iter().filter(|id| !placed.contains(&(table, *id))) {
            w.write(&RecordChange { table, id, action: Action::Update, fields: vec![("participant_id", Value::Text(to.to_string()))] })?;
            for merge in merges {
                note_move(w, *merge, table, id)?;
            }
        }
    }
    Ok(())
}

/// Each note of a record a merge moved (here or at another site): the record's table and id,
/// and the merge's kept and merged records; by record, then by merge.
type Noted = Vec<(String, String, Option<String>, Option<String>)>;

fn read_noted(conn: &Connection) -> Result<Noted> {
    let noted = conn
        .prepare_cached(
            "SELECT v.tbl, v.record_id, m.kept_id, m.merged_id FROM merge_moves v JOIN participant_merges m ON m.id = v.merge_id
             WHERE v.deleted = 0 AND m.deleted = 0 ORDER BY v.tbl, v.record_id, m.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(noted)
}

/// Puts every record a merge moved with the person it now belongs to: the record's own person
/// (the merged record of the first merge that moved it), followed through the merges in
/// effect. A record whose merges were all undone goes back; one moved on by a later merge
/// follows it; one moved by a void merge goes where the merge in effect says.
fn place_moved(w: &mut Writer<'_>, held: &Held, noted: &Noted) -> Result<()> {
    let person = |id: &Option<String>| id.as_deref().and_then(|p| p.parse::<ParticipantId>().ok());
    for record in noted.chunk_by(|a, b| (&a.0, &a.1) == (&b.0, &b.1)) {
        let (name, id) = (&record[0].0, &record[0].1);
        let (Some(table), Ok(id)) = (Table::parse(name).filter(|t| MOVED_BY_MERGE.contains(&t.name())), Uuid::parse_str(id)) else { continue };
        // Its own person is one a merge took it from and no merge of it brought it to.
        let from: Vec<ParticipantId> = record.iter().filter_map(|r| person(&r.3)).collect();
        let to: Vec<ParticipantId> = record.iter().filter_map(|r| person(&r.2)).collect();
        let Some(own) = from.iter().find(|p| !to.contains(p)).or(from.first()).copied() else { continue };
        let belongs = held.resolve(own);
        let now: Option<(Option<String>, bool)> =
            w.tx().prepare_cached(&format!("SELECT participant_id, deleted FROM {name} WHERE id = ?1"))?.query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let Some((owner, false)) = now else { continue };
        if person(&owner) == Some(belongs) || !is_live(w.tx(), belongs)? {
            continue;
        }
        w.write(&RecordChange { table, id, action: Action::Update, fields: vec![("participant_id", Value::Text(belongs.to_string()))] })?;
        for merge in held.path(own) {
            note_move(w, merge, table, id)?;
        }
    }
    Ok(())
}

fn is_live(conn: &Connection, person: ParticipantId) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM participants WHERE id = ?1 AND deleted = 0")?.exists([person])?)
}

/// Carries onto `to` the fields of `from` (among `fields`) changed by a change the merge did
/// not see, where that change is newer than `to`'s value. `make` gives the record to make when
/// `to` is not here and `from` has such a change.
fn carry(w: &mut Writer<'_>, table: Table, from: Uuid, to: Uuid, fields: &[&'static str], seen: &BTreeMap<SiteId, i64>, make: Option<Vec<(&'static str, Value)>>) -> Result<()> {
    let from_clocks = read_clocks(w.tx(), table, from.as_bytes())?;
    let mut unseen = Vec::new();
    for field in fields {
        let Some(&(hlc, no)) = from_clocks.0.get(*field) else { continue };
        let site = w.site_id(no)?;
        if seen.get(&site).is_none_or(|held| hlc > *held) {
            unseen.push((*field, (hlc, site)));
        }
    }
    if unseen.is_empty() {
        return Ok(());
    }
    let (Some(values), target) = (read_row(w.tx(), table, from)?, read_row(w.tx(), table, to)?) else { return Ok(()) };
    let Some(target) = target else {
        if let Some(fields) = make {
            w.write(&RecordChange { table, id: to, action: Action::Create, fields })?;
        }
        return Ok(());
    };
    let to_clocks = read_clocks(w.tx(), table, to.as_bytes())?;
    let mut changes = Vec::new();
    for (field, clock) in unseen {
        let here = match to_clocks.0.get(field) {
            Some(&(hlc, no)) => Some((hlc, w.site_id(no)?)),
            None => None,
        };
        if here.is_none_or(|h| newer(clock, h)) && values.get(field) != target.get(field) {
            changes.push((field, values.get(field).cloned().unwrap_or(Value::Null)));
        }
    }
    if changes.is_empty() {
        return Ok(());
    }
    w.write(&RecordChange { table, id: to, action: Action::Update, fields: changes })
}

/// Carries late changes to the merged person's derived records onto the kept person's twins,
/// making a twin the merged record gained after the merge; a merged record's own that is live
/// (made by a site that did not know of the merge) is then tombstoned, as the merge did to
/// those it found, so a mark is never counted twice.
fn carry_derived(w: &mut Writer<'_>, m: &Merge, to: ParticipantId) -> Result<()> {
    for &(table, key) in DERIVED {
        for id in ids_of(w.tx(), table, m.merged, false, "")? {
            let Some(row) = read_row(w.tx(), table, id)? else { continue };
            let Some(to_id) = twin(table, key.and_then(|k| text_of(row.get(k))), to) else { continue };
            let fields: Vec<&'static str> = table.field_names().filter(|f| !matches!(*f, "participant_id" | "deleted") && Some(*f) != key).collect();
            let elsewhere = table == Table::GroupMembers && !in_kept_facility(w.tx(), row.get("group_id"), to)?;
            carry(w, table, id, to_id, &fields, &m.seen, (!elsewhere).then(|| twin_values(&row, to)))?;
            if row.get("deleted") == Some(&Value::Integer(0)) {
                w.write(&RecordChange { table, id, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
            }
        }
    }
    Ok(())
}

fn read_merges(conn: &Connection) -> Result<Vec<Merge>> {
    let mut stmt = conn.prepare_cached("SELECT id, kept_id, merged_id, seen, undone_on IS NOT NULL FROM participant_merges WHERE deleted = 0 ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?, r.get::<_, bool>(4)?)))?;
    let mut merges = Vec::new();
    for row in rows {
        let (id, kept, merged, seen, undone) = row?;
        let (Ok(id), Some(kept), Some(merged)) = (Uuid::parse_str(&id), kept.and_then(|k| k.parse::<ParticipantId>().ok()), merged.and_then(|m| m.parse::<ParticipantId>().ok())) else { continue };
        let seen: BTreeMap<SiteId, i64> = seen.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
        merges.push(Merge { id, kept, merged, seen, undone });
    }
    Ok(merges)
}

/// The merges a site holds, and which of them are in effect.
struct Held {
    merges: Vec<Merge>,
    /// For each merged person of a merge in effect: the person kept, and the merge.
    into: HashMap<ParticipantId, (ParticipantId, Uuid)>,
}

impl Held {
    /// Merges are taken in the order of their ids. One is in effect unless it was undone, its
    /// merged record was already merged by an earlier one, or it would close a circle (two
    /// sites merged the pair each the other way): then it is void.
    fn read(conn: &Connection) -> Result<Held> {
        let merges = read_merges(conn)?;
        let mut held = Held { merges: Vec::new(), into: HashMap::new() };
        for m in &merges {
            let void = held.into.contains_key(&m.merged) || held.resolve(m.kept) == m.merged;
            if !m.undone && !void {
                held.into.insert(m.merged, (m.kept, m.id));
            }
        }
        held.merges = merges;
        Ok(held)
    }

    fn in_effect(&self, m: &Merge) -> bool {
        self.stands(m.id, m.merged)
    }

    /// Whether the merge `merge`, of the record `merged`, is the one in effect for it.
    fn stands(&self, merge: Uuid, merged: ParticipantId) -> bool {
        self.into.get(&merged).is_some_and(|(_, id)| *id == merge)
    }

    /// The merges in effect that lead on from `person`, in order, each with the record it
    /// leads to.
    fn steps(&self, person: ParticipantId) -> Vec<(Uuid, ParticipantId)> {
        let mut at = person;
        let mut steps: Vec<(Uuid, ParticipantId)> = Vec::new();
        while let Some(&(next, merge)) = self.into.get(&at) {
            // The merges in effect close no circle, but a damaged set of merges must not hang.
            if steps.iter().any(|(m, _)| *m == merge) {
                break;
            }
            steps.push((merge, next));
            at = next;
        }
        steps
    }

    /// The merges in effect that lead on from `person`, in order.
    fn path(&self, person: ParticipantId) -> Vec<Uuid> {
        self.steps(person).into_iter().map(|(merge, _)| merge).collect()
    }

    /// Where `person`'s records belong now: the record it was merged into, followed on.
    fn resolve(&self, person: ParticipantId) -> ParticipantId {
        self.steps(person).last().map_or(person, |(_, to)| *to)
    }
}

/// What the merge `id` filled in and made, as its record keeps it.
fn read_changes(conn: &Connection, id: Uuid) -> Result<Changes> {
    let changes: Option<String> = conn.prepare_cached("SELECT changes FROM participant_merges WHERE id = ?1")?.query_row([id.to_string()], |r| r.get(0)).optional()?.flatten();
    Ok(changes.and_then(|c| serde_json::from_str(&c).ok()).unwrap_or_default())
}

/// Takes back what a merge filled in and made, last first: each field that still holds what
/// the merge wrote gets its value from before, each record made and unchanged since is
/// tombstoned. What belongs to `keep_apart` (a merged person another merge holds) is left.
fn reverse(w: &mut Writer<'_>, changes: &Changes, keep_apart: Option<ParticipantId>) -> Result<()> {
    let apart = keep_apart.map(|p| p.to_string());
    let belongs_apart = |table: Table, id: Uuid, row: &BTreeMap<&'static str, Value>| {
        let owner = if table == Table::Participants { Some(id.to_string()) } else { text_of(row.get("participant_id")).map(str::to_string) };
        apart.is_some() && owner == apart
    };
    for step in changes.done.iter().rev() {
        match step {
            Done::Set { table, id, field, before, after } => {
                let Some(table) = Table::parse(table) else { continue };
                let Some(field) = table.field(field) else { continue };
                let Some(now) = read_row(w.tx(), table, *id)? else { continue };
                if now.get(field).map(json).as_ref() == Some(after) && !belongs_apart(table, *id, &now) {
                    let action = if field == "deleted" && before.as_i64() == Some(1) { Action::Delete } else { Action::Update };
                    w.write(&RecordChange { table, id: *id, action, fields: vec![(field, column_value(before.clone()))] })?;
                }
            }
            Done::Made { table, id, values } => {
                let Some(table) = Table::parse(table) else { continue };
                let Some(now) = read_row(w.tx(), table, *id)? else { continue };
                let unchanged = values.iter().all(|(f, v)| now.get(f.as_str()).map(json).as_ref() == Some(v));
                if now.get("deleted") == Some(&Value::Integer(0)) && unchanged {
                    w.write(&RecordChange { table, id: *id, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
                }
            }
        }
    }
    Ok(())
}

/// Brings this site's records in line with the merges it holds, the same way on every site
/// whatever order bundles came in: after each import, and in each undo. Every write is one
/// that any site holding the same merges would write the same, so sites that settle the same
/// record agree.
///
/// A void merge takes back what it filled in and made, and its merged record comes back
/// unless another merge holds it. Each merge in effect moves what still hangs from its merged
/// record to the record it now belongs to; every record a merge moved is put with the person
/// it now belongs to (which brings back what an undone or void merge moved); and late changes
/// to a merged record are carried over.
pub(crate) fn settle(w: &mut Writer<'_>) -> Result<()> {
    let held = Held::read(w.tx())?;
    if held.merges.is_empty() {
        return Ok(());
    }
    for m in held.merges.iter().filter(|m| !m.undone && !held.in_effect(m)) {
        let taken = held.into.contains_key(&m.merged);
        reverse(w, &read_changes(w.tx(), m.id)?, taken.then_some(m.merged))?;
        if !taken && w.tx().prepare_cached("SELECT 1 FROM participants WHERE id = ?1 AND deleted = 1")?.exists([m.merged])? {
            w.write(&RecordChange { table: Table::Participants, id: m.merged.uuid(), action: Action::Update, fields: vec![("deleted", Value::Integer(0))] })?;
        }
    }
    let noted = read_noted(w.tx())?;
    let placed: HashSet<(Table, Uuid)> = noted.iter().filter_map(|(t, id, ..)| Some((Table::parse(t)?, Uuid::parse_str(id).ok()?))).collect();
    for m in held.merges.iter().filter(|m| held.in_effect(m)) {
        let to = held.resolve(m.kept);
        if is_live(w.tx(), to)? {
            move_records(w, &held.path(m.merged), m.merged, to, &placed)?;
        }
    }
    place_moved(w, &held, &noted)?;
    // Where a moved record belongs is the merges' to say: two sites that moved it at once are
    // no conflict for a person to review.
    w.tx()
        .prepare_cached(
            "UPDATE conflicts SET resolved_ms = ?1 WHERE resolved_ms IS NULL AND field = 'participant_id'
             AND EXISTS (SELECT 1 FROM merge_moves v WHERE v.deleted = 0 AND v.tbl = conflicts.tbl AND v.record_id = conflicts.record_id)",
        )?
        .execute([w.now_ms()])?;
    for m in held.merges.iter().filter(|m| held.in_effect(m)) {
        let to = held.resolve(m.kept);
        if is_live(w.tx(), to)? {
            carry(w, Table::Participants, m.merged.uuid(), to.uuid(), PERSON_FIELDS, &m.seen, None)?;
            carry_derived(w, m, to)?;
        }
    }
    Ok(())
}

const LIST: &str = "SELECT m.id, m.kept_id, k.legal_name, k.facility_number, coalesce(kf.code, ''), k.dob,
        m.merged_id, d.legal_name, d.facility_number, coalesce(df.code, ''), d.dob,
        m.merged_on, coalesce(m.merged_by, ''), coalesce(m.reason, ''),
        (SELECT count(*) FROM merge_moves v WHERE v.merge_id = m.id AND v.deleted = 0),
        m.undone_on, m.undone_by, m.undo_reason, k.facility_id, d.facility_id
    FROM participant_merges m JOIN participants k ON k.id = m.kept_id JOIN participants d ON d.id = m.merged_id
         LEFT JOIN facilities kf ON kf.id = k.facility_id LEFT JOIN facilities df ON df.id = d.facility_id";

/// Refuses unless `who` may merge (or undo a merge of) records held at these facilities.
fn may_merge(who: &Session, kept: Option<FacilityId>, merged: Option<FacilityId>) -> Result<()> {
    who.require(Permission::MergeParticipants, kept)?;
    who.require(Permission::MergeParticipants, merged)
}

fn read_list(conn: &Connection, who: &Session, clause: &str, args: &[Value]) -> Result<Vec<ParticipantMerge>> {
    let held = Held::read(conn)?;
    let mut stmt = conn.prepare_cached(&format!("{LIST} WHERE m.deleted = 0 AND {clause} ORDER BY m.merged_on DESC, m.id DESC LIMIT {LISTED}"))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        let side = |at: usize, held_at: usize| -> rusqlite::Result<MergedRecord> {
            let visible = r.get::<_, Option<FacilityId>>(held_at)?.is_some_and(|f| who.scope().covers(f));
            let seen = |text: String| if visible { text } else { String::new() };
            Ok(MergedRecord {
                id: r.get(at)?,
                legal_name: seen(r.get(at + 1)?),
                facility_number: seen(r.get(at + 2)?),
                facility_code: r.get(at + 3)?,
                dob: date_col(r.get(at + 4)?).filter(|_| visible),
                visible,
            })
        };
        let undone_on = date_col(r.get(15)?);
        let (kept, merged) = (side(1, 18)?, side(6, 19)?);
        let id = uuid_col(r.get(0)?).unwrap_or_default();
        let in_effect = held.stands(id, merged.id);
        let merged_on = held.into.contains_key(&kept.id);
        // The reason may name either record: only one who sees both reads it.
        let reason = if kept.visible && merged.visible { r.get(13)? } else { String::new() };
        Ok(ParticipantMerge {
            id,
            merged_on: date_col(r.get(11)?).unwrap_or_default(),
            merged_by: r.get(12)?,
            reason,
            moved: r.get(14)?,
            void: undone_on.is_none() && !in_effect,
            undone_on,
            undone_by: r.get(16)?,
            undo_reason: r.get::<_, Option<String>>(17)?.filter(|_| kept.visible && merged.visible),
            may_undo: in_effect && !merged_on && may_merge(who, r.get(18)?, r.get(19)?).is_ok(),
            kept,
            merged,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The merge `id` as the reader may know it: one whose kept or merged record is held at a
/// facility of theirs.
fn visible(conn: &Connection, who: &Session, id: Uuid) -> Result<ParticipantMerge> {
    // Both clauses take the scope as the same argument.
    let (k_in, scope) = within(who.scope(), "k.facility_id", 2);
    let (d_in, _) = within(who.scope(), "d.facility_id", 2);
    let args: Vec<Value> = std::iter::once(Value::Text(id.to_string())).chain(scope).collect();
    read_list(conn, who, &format!("m.id = ?1 AND ({k_in} OR {d_in})"), &args)?.into_iter().next().ok_or(Error::NotFound { what: "merge", id: id.to_string() })
}

/// A refusal when `person` (`which` record of the two) has a transfer waiting: it names where
/// to, and what to do.
fn refuse_waiting_transfer(conn: &Connection, person: ParticipantId, which: (&str, &str)) -> Result<()> {
    match waiting_transfer_to(conn, person)? {
        Some(to) => Err(Error::Refused(Said {
            en: format!("{} has a transfer to {to} waiting for an answer: answer or cancel it before merging", which.0),
            es: format!("{} tiene un traslado a {to} esperando respuesta: respóndalo o cancélelo antes de unir", which.1),
        })),
        None => Ok(()),
    }
}

/// As JSON text for a record's field. Maps with text keys and plain values always convert.
fn json_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl Store {
    /// Makes two records of one person one: `merged_id`'s records move to `kept_id`, its
    /// blanks fill the kept record's, and it leaves every list. Needs the merge permission at
    /// both records' facilities.
    pub fn merge_participants(&mut self, ctx: &WriteCtx, input: &MergeInput) -> Result<ParticipantMerge> {
        let (kept, merged, reason) = input.validate()?;
        self.change(ctx, Need::Role(Permission::MergeParticipants), |w| {
            let k = load(w.tx(), kept)?;
            let m = load(w.tx(), merged)?;
            may_merge(w.who(), Some(k.facility_id), Some(m.facility_id))?;
            refuse_waiting_transfer(w.tx(), kept, ("the record to keep", "el expediente que se conserva"))?;
            refuse_waiting_transfer(w.tx(), merged, ("the record to merge", "el expediente que se une"))?;
            let id = ctx.new_uuid();
            let frontier = json_text(&seen(w.tx())?);
            let mut d = Doing { w, done: Vec::new() };
            fill_person(&mut d, kept, merged)?;
            merge_derived(&mut d, kept, merged)?;
            let Doing { w, done } = d;
            move_records(w, &[id], merged, kept, &HashSet::new())?;
            w.write(&RecordChange { table: Table::Participants, id: merged.uuid(), action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
            let changes = json_text(&Changes { done });
            let fields = vec![
                ("kept_id", Value::Text(kept.to_string())),
                ("merged_id", Value::Text(merged.to_string())),
                ("merged_on", Value::Text(ctx.today.to_string())),
                ("merged_by", Value::Text(w.who().display_name().to_string())),
                ("reason", Value::Text(reason)),
                ("seen", Value::Text(frontier)),
                ("changes", Value::Text(changes)),
            ];
            w.write(&RecordChange { table: Table::ParticipantMerges, id, action: Action::Create, fields })?;
            visible(w.tx(), w.who(), id)
        })
    }

    /// Undoes a merge: the merged record comes back with what the merge moved, made and filled
    /// (a field changed since is left as it is now).
    pub fn undo_merge(&mut self, ctx: &WriteCtx, id: Uuid, reason: &str) -> Result<ParticipantMerge> {
        let reason = merge_reason(reason)?;
        self.change(ctx, Need::Role(Permission::MergeParticipants), |w| {
            let facilities: Option<(Option<FacilityId>, Option<FacilityId>)> = w
                .tx()
                .query_row(
                    "SELECT k.facility_id, d.facility_id FROM participant_merges m JOIN participants k ON k.id = m.kept_id JOIN participants d ON d.id = m.merged_id
                     WHERE m.id = ?1 AND m.deleted = 0",
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (kept_at, merged_at) = facilities.ok_or(Error::NotFound { what: "merge", id: id.to_string() })?;
            may_merge(w.who(), kept_at, merged_at)?;
            let shown = visible(w.tx(), w.who(), id)?;
            if let Some(on) = shown.undone_on {
                let by = shown.undone_by.clone().unwrap_or_default();
                return Err(Error::Refused(said!("this merge was already undone, by {by} on {on}", "esta unión ya se deshizo, por {by} el {on}")));
            }
            let held = Held::read(w.tx())?;
            // Only a merge in effect has something to take back: a void one took it back itself.
            if held.stands(id, shown.merged.id) {
                if let Some((_, onward)) = held.into.get(&shown.kept.id) {
                    return Err(Error::Refused(said!(
                        "the kept record was since merged into another (merge {onward}): undo that merge first",
                        "el expediente conservado se unió después a otro (unión {onward}): deshaga antes esa unión"
                    )));
                }
                reverse(w, &read_changes(w.tx(), id)?, None)?;
                w.write(&RecordChange { table: Table::Participants, id: shown.merged.id.uuid(), action: Action::Update, fields: vec![("deleted", Value::Integer(0))] })?;
            }
            let fields = vec![
                ("undone_on", Value::Text(ctx.today.to_string())),
                ("undone_by", Value::Text(w.who().display_name().to_string())),
                ("undo_reason", Value::Text(reason)),
            ];
            w.write(&RecordChange { table: Table::ParticipantMerges, id, action: Action::Update, fields })?;
            settle(w)?;
            visible(w.tx(), w.who(), id)
        })
    }

    /// The merges of records held at the reader's facilities, the latest first; audited as a
    /// view of the list, as it names people.
    pub fn participant_merges(&mut self, ctx: &WriteCtx) -> Result<Vec<ParticipantMerge>> {
        self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            let (k_in, scope) = within(w.who().scope(), "k.facility_id", 1);
            let (d_in, _) = within(w.who().scope(), "d.facility_id", 1);
            let args: Vec<Value> = scope.into_iter().collect();
            let list = read_list(w.tx(), w.who(), &format!("({k_in} OR {d_in})"), &args)?;
            w.audit(Action::View, Some(Table::ParticipantMerges.name()), None, &format!("merges: {} listed", list.len()))?;
            Ok(list)
        })
    }
}
