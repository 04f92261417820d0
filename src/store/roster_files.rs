//! Rosters from a jail's or prison's system (ADR 23): a file read through its source's mapping,
//! compared with the facility's records, previewed, and applied in one transaction through the
//! write path; the facility's people written back out as a roster file that reads in unchanged.

use super::participants::{check_in_store, fields_of, record_status};
use super::schema::Table;
use super::scope::within;
use super::write::{text, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result};
use crate::files::io_error;
use crate::model::{FacilityId, LocationId, LocationKind, ParticipantId, Status};
use crate::roster::compare::{as_input, booking_key, name_key, Changed, RecordField};
use crate::roster::mapping::Field;
use crate::roster::entries::DateColumn;
use crate::roster::{compare, entries, layout, propose, read, Century, Comparison, Decisions, Entry, Known, Layout, Mapping, Moving, Records, Way};
use crate::text::{clean_line, fold};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use uuid::Uuid;

/// A source's roster as the mapping screen shows it: its columns, its first people, and the
/// mapping its files are read through (saved, or proposed from the headers).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RosterSheet {
    pub file_name: String,
    /// CSV, Excel workbook, and the like.
    pub kind: String,
    /// The header's line in the file, counted from 1.
    pub header_row: usize,
    pub columns: Vec<String>,
    /// The first people's rows, as the file writes them.
    pub sample: Vec<Vec<String>>,
    pub rows: usize,
    /// Title, total and page lines set aside above and below the people.
    pub set_aside: usize,
    pub mapping: Mapping,
    /// Whether the mapping is the one saved for this source.
    pub saved: bool,
}

/// What applying a roster would do, for a person to check first.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RosterPreview {
    pub source: String,
    pub file_name: String,
    /// How the file was read: "text, Windows-1252", "Excel workbook".
    pub kind: String,
    /// The file's SHA-256, as the import is audited.
    pub digest: String,
    pub mapping: Mapping,
    /// Whether the mapping is the one saved for the source; a saved one that does not fit the
    /// file's columns gives way to one proposed from them.
    pub saved: bool,
    pub date_columns: Vec<DateColumn>,
    /// The people the file lists: its bookings, read or refused.
    pub people: usize,
    /// The rows refused (a row may be refused for several reasons).
    pub refused_rows: usize,
    pub comparison: Comparison,
    /// A digest of everything above: applying refuses a preview that no longer holds.
    pub plan: String,
}

/// What applying a roster did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct RosterApplied {
    pub enrolled: usize,
    pub changed: usize,
    pub released: usize,
    pub returned: usize,
    /// New bookings matched to someone kept, left for a decision at the next import.
    pub waiting: usize,
    pub refused: usize,
    pub units_added: usize,
    /// Nothing to write: every row matches the records (the file was applied before).
    pub nothing_new: bool,
}

/// A roster source saved for a facility, with its last import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RosterSource {
    pub name: String,
    pub last_imported_on: Option<NaiveDate>,
    pub last_file: Option<String>,
}

/// A source and the file it sent, as the screens and the command line name them.
#[derive(Debug, Clone, Copy)]
pub struct RosterRequest<'a> {
    pub facility: FacilityId,
    pub source: &'a str,
    pub path: &'a Path,
    /// The mapping to read the file through: the person's, else the source's saved one, else
    /// one proposed from the headers.
    pub mapping: Option<&'a Mapping>,
}

/// A source saved for a facility.
struct Source {
    id: Uuid,
    mapping: Option<Mapping>,
}

/// Everything a preview and an apply are made from.
struct Prepared {
    source: Option<Source>,
    preview: RosterPreview,
}

fn source_name(name: &str) -> Result<String> {
    let name = clean_line(name);
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::field("source", said!("name the roster's source (such as the jail's system) in 1 to 80 characters", "nombre el origen de la lista (como el sistema de la cárcel) en 1 a 80 caracteres")));
    }
    Ok(name)
}

/// The file's bytes: a file only (a pipe or a device could hold the reader forever), and no
/// more than a roster may be, whatever size the system reports.
fn file_bytes(path: &Path) -> Result<Vec<u8>> {
    let cannot = || io_error(path, ("cannot read", "no se puede leer"));
    if !std::fs::metadata(path).map_err(cannot())?.is_file() {
        return Err(Error::field("file", said!("{} is not a file: choose the roster file", "{} no es un archivo: elija el archivo de la lista", path.display())));
    }
    let mut bytes = Vec::new();
    let limit = crate::roster::read::MAX_BYTES as u64 + 1;
    std::io::Read::read_to_end(&mut std::io::Read::take(std::fs::File::open(path).map_err(cannot())?, limit), &mut bytes).map_err(cannot())?;
    // The reader refuses what is over the limit, with the message every roster gets.
    Ok(bytes)
}

/// A roster file as read, before anything of the database is looked at: read outside the
/// write transaction, so a large file keeps no one else waiting.
struct RosterFile {
    name: String,
    digest: String,
    kind: String,
    layout: Layout,
}

impl RosterFile {
    fn read(path: &Path) -> Result<RosterFile> {
        let bytes = file_bytes(path)?;
        let sheet = read(&bytes)?;
        Ok(RosterFile {
            name: path.file_name().map(|n| clean_line(&n.to_string_lossy())).unwrap_or_default(),
            digest: hex(&Sha256::digest(&bytes)),
            kind: sheet.kind.label().to_string(),
            layout: layout(sheet)?,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn find_source(conn: &Connection, facility: FacilityId, name: &str) -> Result<Option<Source>> {
    let row: Option<(Uuid, Option<String>)> = conn
        .query_row(
            "SELECT id, mapping FROM roster_sources WHERE facility_id = ?1 AND deleted = 0 AND lower(name) = lower(?2) ORDER BY id LIMIT 1",
            params![facility, name],
            |r| Ok((r.get::<_, String>(0)?.parse().unwrap_or_default(), r.get(1)?)),
        )
        .optional()?;
    // A mapping that no longer reads (saved by a later version) is proposed afresh.
    Ok(row.map(|(id, mapping)| Source { id, mapping: mapping.and_then(|m| serde_json::from_str(&m).ok()) }))
}

/// The source's saved mapping when it fits `columns`, else one proposed from them; and whether
/// it is the saved one.
fn mapping_for(source: Option<&Source>, columns: &[String], today: NaiveDate) -> (Mapping, bool) {
    match source.and_then(|s| s.mapping.as_ref()).filter(|m| m.check(columns).is_ok()) {
        Some(saved) => (saved.clone(), true),
        None => (propose(columns, Century::for_today(today)), false),
    }
}

const KNOWN: &str = "SELECT p.id, p.facility_id, coalesce(f.name, ''), p.facility_number, p.legal_name, p.dob, u.name, p.cell, p.admission_date,
        p.release_date, p.release_note, p.state_number, p.charges, p.status, coalesce(p.status_date, p.admission_date), p.roster_source_id
    FROM participants p LEFT JOIN facilities f ON f.id = p.facility_id LEFT JOIN locations u ON u.id = p.unit_id
    WHERE p.deleted = 0 AND ";

/// Each record `clause` selects, in id order (so the same records always give the same preview
/// and plan), as a person to compare with, or as the booking of a record without the birth or
/// admission date a comparison needs.
fn known(conn: &Connection, clause: &str, args: &[Value]) -> Result<Vec<std::result::Result<Known, (FacilityId, String)>>> {
    let mut stmt = conn.prepare(&format!("{KNOWN}{clause} ORDER BY p.id"))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        let (dob, admission_date): (Option<NaiveDate>, Option<NaiveDate>) = (r.get(5)?, r.get(8)?);
        let (Some(dob), Some(admission_date)) = (dob, admission_date) else { return Ok(Err((r.get(1)?, r.get(3)?))) };
        Ok(Ok(Known {
            id: r.get(0)?,
            facility_id: r.get(1)?,
            facility_name: r.get(2)?,
            booking: r.get(3)?,
            legal_name: r.get(4)?,
            dob,
            unit: r.get(6)?,
            cell: r.get(7)?,
            admission_date,
            release_date: r.get(9)?,
            release_note: r.get(10)?,
            state_number: r.get(11)?,
            charges: r.get::<_, Option<String>>(12)?.map(|c| c.lines().map(str::to_string).collect()).unwrap_or_default(),
            status: super::participants::status_column(r, 13)?,
            status_date: r.get(14)?,
            source: r.get::<_, Option<String>>(15)?.and_then(|s| s.parse().ok()),
        }))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What a roster is compared with, read in one pass over the records: the facility's people,
/// the bookings of its records that cannot be compared, and the reader's people elsewhere born
/// on a day the roster names (a return may come from another facility).
struct Kept {
    here: Vec<Known>,
    elsewhere: Vec<Known>,
    incomplete: HashSet<String>,
}

fn kept(conn: &Connection, who: &Session, facility: FacilityId, births: &[String]) -> Result<Kept> {
    let (scoped, scope_arg) = within(who.scope(), "p.facility_id", 3);
    let mut args = vec![Value::Text(facility.to_string()), Value::Text(serde_json::to_string(births).unwrap_or_default())];
    args.extend(scope_arg);
    let clause = format!("(p.facility_id = ?1 OR (p.dob IN (SELECT value FROM json_each(?2)) AND {scoped}))");
    let mut out = Kept { here: vec![], elsewhere: vec![], incomplete: HashSet::new() };
    for row in known(conn, &clause, &args)? {
        match row {
            Ok(k) if k.facility_id == facility => out.here.push(k),
            Ok(k) => out.elsewhere.push(k),
            Err((at, booking)) if at == facility => {
                out.incomplete.insert(booking_key(&booking));
            }
            Err(_) => {}
        }
    }
    Ok(out)
}

/// The people transfers move into or out of `facility` (ADR 24), whichever facility holds them.
fn moving(conn: &Connection, facility: FacilityId) -> Result<Vec<Moving>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.legal_name, p.dob, coalesce(f.name, ''),
                CASE WHEN t.to_facility_id = ?1 THEN 'coming' WHEN t.answer IS NULL THEN 'leaving' ELSE 'gone' END
         FROM transfers t JOIN participants p ON p.id = t.participant_id AND p.deleted = 0
              LEFT JOIN facilities f ON f.id = CASE WHEN t.to_facility_id = ?1 THEN t.from_facility_id ELSE t.to_facility_id END
         WHERE t.deleted = 0 AND p.dob IS NOT NULL
           AND ((t.to_facility_id = ?1 AND t.answer IS NULL)
             OR (t.from_facility_id = ?1 AND t.answer IS NULL)
             OR (t.from_facility_id = ?1 AND t.answer = 'accepted' AND p.facility_id = t.to_facility_id AND p.status = 'active'))",
    )?;
    let rows = stmt.query_map([facility], |r| {
        let way = match r.get::<_, String>(4)?.as_str() {
            "coming" => Way::Coming,
            "leaving" => Way::Leaving,
            _ => Way::Gone,
        };
        Ok(Moving { participant: r.get(0)?, legal_name: r.get(1)?, dob: r.get(2)?, facility_name: r.get(3)?, way })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn units(conn: &Connection, facility: FacilityId) -> Result<Vec<(LocationId, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM locations WHERE facility_id = ?1 AND kind = 'unit' AND deleted = 0 ORDER BY id")?;
    let rows = stmt.query_map([facility], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Reads the file and compares it with the records: the work a preview shows and an apply
/// repeats inside its transaction, so what is written is what was shown.
fn prepare(conn: &Connection, who: &Session, request: &RosterRequest<'_>, file: &RosterFile, today: NaiveDate) -> Result<Prepared> {
    let facility = request.facility;
    let exists: bool = conn.query_row("SELECT count(*) > 0 FROM facilities WHERE id = ?1 AND deleted = 0", [facility], |r| r.get(0))?;
    if !exists {
        return Err(Error::NotFound { what: "facility", id: facility.to_string() });
    }
    let source_name = source_name(request.source)?;
    let source = find_source(conn, facility, &source_name)?;
    let (mapping, saved) = match request.mapping {
        Some(given) => (given.clone(), false),
        None => mapping_for(source.as_ref(), &file.layout.columns, today),
    };
    let rows = entries(&file.layout, &mapping)?;
    let births: Vec<String> = rows.entries.iter().filter_map(|e| e.birth_date).map(|d| d.to_string()).collect::<HashSet<_>>().into_iter().collect();
    let Kept { here, elsewhere, incomplete } = kept(conn, who, facility, &births)?;
    let unit_names: Vec<String> = units(conn, facility)?.into_iter().map(|(_, name)| name).collect();
    let moving = moving(conn, facility)?;
    let records = Records { facility, known: &here, elsewhere: &elsewhere, units: &unit_names, source: source.as_ref().map(|s| s.id), incomplete: &incomplete, moving: &moving };
    let comparison = compare(&rows, &mapping, &records, today);
    let mut preview = RosterPreview {
        source: source_name,
        file_name: file.name.clone(),
        kind: file.kind.clone(),
        digest: file.digest.clone(),
        mapping,
        saved,
        date_columns: rows.date_columns,
        people: rows.entries.iter().map(|e| booking_key(&e.booking)).chain(rows.refusals.iter().filter_map(|r| r.booking.as_deref()).map(booking_key)).collect::<HashSet<_>>().len(),
        refused_rows: comparison.refused.iter().map(|r| r.row).collect::<HashSet<_>>().len(),
        comparison,
        plan: String::new(),
    };
    // Everything shown serialises: plain text, numbers and dates.
    preview.plan = hex(&Sha256::digest(serde_json::to_vec(&preview).unwrap_or_default()));
    Ok(Prepared { source, preview })
}

/// A participant's roster fields as an entry gives them, for the fields a roster changes.
fn roster_fields(entry: &Entry, change: &[RecordField], unit: Option<LocationId>, source: Uuid) -> Vec<(&'static str, Value)> {
    let date = |d: Option<NaiveDate>| text(d.map(|d| d.to_string()));
    let mut fields = Vec::new();
    for field in change {
        match field {
            RecordField::Name => fields.push(("legal_name", Value::Text(clean_line(&entry.legal_name)))),
            RecordField::BirthDate => fields.push(("dob", date(entry.birth_date))),
            RecordField::Admission => fields.push(("admission_date", date(entry.booking_date))),
            RecordField::Release => fields.push(("release_date", date(entry.release_date))),
            RecordField::ReleaseNote => fields.push(("release_note", text(entry.release_words.clone()))),
            RecordField::Unit => fields.push(("unit_id", text(unit.map(|u| u.to_string())))),
            RecordField::Cell => fields.push(("cell", text(entry.cell.clone()))),
            RecordField::StateNumber => fields.push(("state_number", text(entry.state_number.clone()))),
            RecordField::Charges => fields.push(("charges", text((!entry.charges.is_empty()).then(|| entry.charges.join("\n"))))),
            RecordField::Source => fields.push(("roster_source_id", Value::Text(source.to_string()))),
        }
    }
    fields
}

/// The roster fields the enrol form does not write, for a person the roster brings in.
const BEYOND_THE_FORM: [RecordField; 4] = [RecordField::Cell, RecordField::StateNumber, RecordField::Charges, RecordField::ReleaseNote];

struct Applying<'a> {
    facility: FacilityId,
    source: Uuid,
    units: HashMap<String, LocationId>,
    today: NaiveDate,
    mapping: &'a Mapping,
}

/// Says which booking a refusal met while applying, so a person can find the row.
fn at_booking<T>(booking: &str, done: Result<T>) -> Result<T> {
    done.map_err(|e| match e {
        Error::Validation(fields) => {
            let (en, es): (Vec<String>, Vec<String>) = fields.into_iter().map(|f| (f.message, f.message_es)).unzip();
            Error::Refused(crate::error::Said { en: format!("booking {booking}: {}; nothing was applied", en.join("; ")), es: format!("reserva {booking}: {}; no se aplicó nada", es.join("; ")) })
        }
        other => other,
    })
}

impl Applying<'_> {
    /// The fields a return writes: only what the roster's mapping gives, the name only when it
    /// is another name (a hand-typed spelling stays), and always the new booking's date.
    fn return_fields(&self, entry: &Entry, current: &str) -> Vec<RecordField> {
        let mapped = |f: Field| self.mapping.columns.iter().any(|u| u.field == f);
        let mut fields = vec![RecordField::Source];
        if name_key(&entry.legal_name) != name_key(current) {
            fields.push(RecordField::Name);
        }
        if mapped(Field::ReleaseDate) {
            fields.extend([RecordField::Release, RecordField::ReleaseNote]);
        }
        if mapped(Field::Housing) || mapped(Field::Unit) {
            fields.push(RecordField::Unit);
        }
        if mapped(Field::Housing) || mapped(Field::Cell) {
            fields.push(RecordField::Cell);
        }
        if mapped(Field::StateNumber) {
            fields.push(RecordField::StateNumber);
        }
        if mapped(Field::Charge) {
            fields.push(RecordField::Charges);
        }
        fields
    }

    fn unit_of(&self, entry: &Entry) -> Option<LocationId> {
        entry.unit.as_deref().and_then(|u| self.units.get(&fold(u)).copied())
    }

    fn enrol(&self, w: &mut Writer<'_>, entry: &Entry, admission: NaiveDate) -> Result<()> {
        let mut input = as_input(entry, self.facility, admission, None);
        input.unit_id = self.unit_of(entry).map(|u| u.to_string()).unwrap_or_default();
        let v = input.validate(self.today)?;
        check_in_store(w.tx(), &v, None)?;
        let id = ParticipantId::from_uuid(w.ctx().new_uuid());
        let mut fields: Vec<(&'static str, Value)> = fields_of(&v).into_iter().chain(roster_fields(entry, &BEYOND_THE_FORM, None, self.source)).filter(|(_, value)| *value != Value::Null).collect();
        fields.push(("roster_source_id", Value::Text(self.source.to_string())));
        fields.push(("status", Value::Text(Status::Active.as_str().into())));
        fields.push(("status_date", Value::Text(v.admission_date.to_string())));
        w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Create, fields })
    }

    fn update(&self, w: &mut Writer<'_>, changed: &Changed) -> Result<()> {
        let id = changed.participant;
        let fields: Vec<RecordField> = changed.changes.iter().map(|c| c.field).collect();
        let writes = roster_fields(&changed.entry, &fields, self.unit_of(&changed.entry), self.source);
        w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Update, fields: writes })?;
        let current = super::participants::load(w.tx(), id)?;
        check_in_store(w.tx(), &current.to_input().validate(self.today)?, Some(id))
    }

    /// A new booking of someone kept: their record takes the booking, the facility and what the
    /// roster's mapping gives, and they are active again from the booking date.
    fn readmit(&self, w: &mut Writer<'_>, entry: &Entry, admission: NaiveDate, id: ParticipantId) -> Result<()> {
        let current = super::participants::load(w.tx(), id)?;
        w.require(Permission::EditParticipants, current.facility_id)?;
        let mut writes = roster_fields(entry, &self.return_fields(entry, &current.legal_name), self.unit_of(entry), self.source);
        writes.extend([
            ("facility_number", Value::Text(booking_key(&entry.booking))),
            ("facility_id", Value::Text(self.facility.to_string())),
            ("admission_date", Value::Text(admission.to_string())),
        ]);
        if let Some(dob) = entry.birth_date {
            writes.push(("dob", Value::Text(dob.to_string())));
        }
        let note = said!("back under booking {} (was {})", "de vuelta con la reserva {} (antes {})", booking_key(&entry.booking), current.facility_number).en;
        record_status(w, id, Status::Active, admission, Some(note), writes)?;
        let now = super::participants::load(w.tx(), id)?;
        check_in_store(w.tx(), &now.to_input().validate(self.today)?, Some(id))
    }
}

impl Store {
    /// The roster sources saved for a facility, by name, each with its last import.
    pub fn roster_sources(&self, facility: FacilityId) -> Result<Vec<RosterSource>> {
        self.allowed(Need::In(Permission::ImportRosters, facility))?;
        let mut stmt = self.conn.prepare(
            "SELECT s.name, i.imported_on, i.file_name FROM roster_sources s
             LEFT JOIN roster_imports i ON i.id = (SELECT id FROM roster_imports WHERE source_id = s.id AND deleted = 0 ORDER BY imported_on DESC, id DESC LIMIT 1)
             WHERE s.facility_id = ?1 AND s.deleted = 0 ORDER BY s.name COLLATE NOCASE, s.id",
        )?;
        let rows = stmt.query_map([facility], |r| Ok(RosterSource { name: r.get(0)?, last_imported_on: r.get(1)?, last_file: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The name to offer for the facility's roster file, such as `roster-RCJ-2026-12-03.csv`;
    /// refused, before anyone is asked where to save it, to whoever may not export it.
    pub fn roster_file_name(&self, facility: FacilityId, today: NaiveDate) -> Result<String> {
        self.allowed(Need::In(Permission::ExportData, facility))?;
        let code: Option<String> = self.conn.query_row("SELECT code FROM facilities WHERE id = ?1 AND deleted = 0", [facility], |r| r.get(0)).optional()?;
        let code = code.ok_or(Error::NotFound { what: "facility", id: facility.to_string() })?;
        Ok(format!("roster-{}-{today}.csv", crate::text::file_word(&code).to_uppercase()))
    }

    /// Writes the facility's people in custody (active) as a roster file that the import reads
    /// back unchanged; each person's export is in the audit trail. Returns how many.
    pub fn export_roster(&mut self, ctx: &WriteCtx, facility: FacilityId, path: &Path) -> Result<usize> {
        self.change(ctx, Need::In(Permission::ExportData, facility), |w| {
            let name: Option<String> = w.tx().query_row("SELECT name FROM facilities WHERE id = ?1 AND deleted = 0", [facility], |r| r.get(0)).optional()?;
            let name = name.ok_or(Error::NotFound { what: "facility", id: facility.to_string() })?;
            // A record without a birth or admission date has no row the import would read back.
            let mut people: Vec<Known> = known(w.tx(), "p.facility_id = ?1 AND p.status = 'active'", &[Value::Text(facility.to_string())])?.into_iter().flatten().collect();
            people.sort_by(|a, b| a.booking.cmp(&b.booking));
            for p in &people {
                w.audit(Action::Export, Some(Table::Participants.name()), Some(&p.id.to_string()), "roster file")?;
            }
            let title = format!("Roster of {name} from Bridger, {}: for this program's own use", ctx.today);
            w.write_output(path, &crate::roster::export::roster_csv(&title, &people))?;
            Ok(people.len())
        })
    }

    /// Reads a roster file for the mapping screen: its columns, first people, and the mapping
    /// saved for `source` at the facility, or one proposed from the headers.
    pub fn read_roster(&self, request: &RosterRequest<'_>, today: NaiveDate) -> Result<RosterSheet> {
        self.allowed(Need::In(Permission::ImportRosters, request.facility))?;
        let source = find_source(&self.conn, request.facility, &source_name(request.source)?)?;
        let file = RosterFile::read(request.path)?;
        let laid_out = file.layout;
        let (mapping, saved) = mapping_for(source.as_ref(), &laid_out.columns, today);
        Ok(RosterSheet {
            file_name: file.name,
            kind: file.kind,
            header_row: laid_out.header_row,
            sample: laid_out.rows.iter().take(5).map(|r| r.cells.iter().map(|c| clean_line(c)).collect()).collect(),
            rows: laid_out.rows.len(),
            set_aside: laid_out.above.len() + laid_out.below.len(),
            saved,
            mapping,
            columns: laid_out.columns,
        })
    }

    /// What applying the roster would do: nothing is written but the audit trail's note that
    /// the facility's records were compared with it.
    pub fn preview_roster(&mut self, ctx: &WriteCtx, request: &RosterRequest<'_>) -> Result<RosterPreview> {
        self.allowed(Need::In(Permission::ImportRosters, request.facility))?;
        let file = RosterFile::read(request.path)?;
        self.change(ctx, Need::In(Permission::ImportRosters, request.facility), |w| {
            w.require(Permission::ViewParticipants, request.facility)?;
            let prepared = prepare(w.tx(), w.who(), request, &file, ctx.today)?;
            w.audit(Action::View, Some(Table::Participants.name()), None, &format!("roster preview, file sha256 {}", file.digest))?;
            // A possible return may be someone kept at another facility: each one shown is a view
            // of that person's record.
            for candidate in prepared.preview.comparison.returns.iter().flat_map(|r| &r.candidates) {
                w.audit(Action::View, Some(Table::Participants.name()), Some(&candidate.participant.to_string()), "roster preview: possible return")?;
            }
            Ok(prepared.preview)
        })
    }

    /// Applies the roster as `plan` (the preview's) showed it, with the movements a person
    /// confirmed: all of it in one transaction, or nothing.
    pub fn apply_roster(&mut self, ctx: &WriteCtx, request: &RosterRequest<'_>, plan: &str, decisions: &Decisions) -> Result<RosterApplied> {
        self.allowed(Need::In(Permission::ImportRosters, request.facility))?;
        let file = RosterFile::read(request.path)?;
        self.change(ctx, Need::In(Permission::ImportRosters, request.facility), |w| {
            for needed in [Permission::EnrollParticipants, Permission::EditParticipants] {
                w.require(needed, request.facility)?;
            }
            let Prepared { source, preview } = prepare(w.tx(), w.who(), request, &file, ctx.today)?;
            let (file_name, digest) = (&file.name, &file.digest);
            if preview.plan != plan {
                return Err(Error::Refused(said!(
                    "the file or the records changed since the preview: preview the roster again before applying it",
                    "el archivo o los expedientes cambiaron desde la vista previa: vuelva a previsualizar la lista antes de aplicarla"
                )));
            }
            let c = &preview.comparison;
            let releases: HashSet<ParticipantId> = decisions.releases.iter().copied().collect();
            if let Some(stray) = releases.iter().find(|id| !c.releases.iter().any(|r| r.participant == **id)) {
                return Err(Error::field("releases", said!("a release was confirmed for someone this roster does not propose ({stray}): preview it again", "se confirmó la salida de alguien que esta lista no propone ({stray}): vuelva a previsualizarla")));
            }
            let mut chosen = HashMap::new();
            for d in &decisions.returns {
                if chosen.contains_key(&booking_key(&d.booking)) {
                    return Err(Error::field("returns", said!("booking {} is decided twice: choose one answer", "la reserva {} está decidida dos veces: elija una respuesta", d.booking)));
                }
                let Some(r) = c.returns.iter().find(|r| booking_key(&r.entry.booking) == booking_key(&d.booking)) else {
                    return Err(Error::field("returns", said!("booking {} is not among this roster's possible returns", "la reserva {} no está entre los posibles regresos de esta lista", d.booking)));
                };
                if let Some(same) = d.same_as {
                    if !r.candidates.iter().any(|k| k.participant == same) {
                        return Err(Error::field("returns", said!("booking {} was not matched to that person", "la reserva {} no se emparejó con esa persona", d.booking)));
                    }
                    if chosen.values().any(|p| *p == Some(same)) {
                        return Err(Error::field("returns", said!("one person cannot come back under two bookings", "una persona no puede volver con dos reservas")));
                    }
                }
                chosen.insert(booking_key(&d.booking), d.same_as);
            }
            if let Some(both) = chosen.values().flatten().find(|p| releases.contains(p)) {
                return Err(Error::field(
                    "releases",
                    said!("{both} is both confirmed as released and back under a new booking: choose one", "{both} está confirmado como salida y de vuelta con una reserva nueva: elija una"),
                ));
            }
            let mut done = RosterApplied { refused: preview.refused_rows, waiting: c.returns.len() - chosen.len(), ..RosterApplied::default() };
            if c.new.is_empty() && c.changed.is_empty() && releases.is_empty() && chosen.is_empty() {
                done.nothing_new = true;
                return Ok(done);
            }
            let source_id = match &source {
                Some(s) => s.id,
                None => w.ctx().new_uuid(),
            };
            let mapping = serde_json::to_string(&preview.mapping).unwrap_or_default();
            w.save(
                Table::RosterSources,
                source_id,
                source.is_none(),
                vec![("facility_id", Value::Text(request.facility.to_string())), ("name", Value::Text(preview.source.clone())), ("mapping", Value::Text(mapping))],
            )?;
            let mut applying = Applying { facility: request.facility, source: source_id, units: HashMap::new(), today: ctx.today, mapping: &preview.mapping };
            for (id, name) in units(w.tx(), request.facility)? {
                applying.units.insert(fold(&name), id);
            }
            for name in &c.new_units {
                let id = LocationId::from_uuid(w.ctx().new_uuid());
                let fields = vec![("facility_id", Value::Text(request.facility.to_string())), ("kind", Value::Text(LocationKind::Unit.as_str().into())), ("name", Value::Text(name.clone()))];
                w.write(&RecordChange { table: Table::Locations, id: id.uuid(), action: Action::Create, fields })?;
                applying.units.insert(fold(name), id);
                done.units_added += 1;
            }
            for person in &c.new {
                at_booking(&person.entry.booking, applying.enrol(w, &person.entry, person.admission_date))?;
                done.enrolled += 1;
            }
            for r in &c.returns {
                match chosen.get(&booking_key(&r.entry.booking)) {
                    Some(Some(same)) => {
                        at_booking(&r.entry.booking, applying.readmit(w, &r.entry, r.admission_date, *same))?;
                        done.returned += 1;
                    }
                    Some(None) => {
                        at_booking(&r.entry.booking, applying.enrol(w, &r.entry, r.admission_date))?;
                        done.enrolled += 1;
                    }
                    None => {}
                }
            }
            for changed in &c.changed {
                at_booking(&changed.entry.booking, applying.update(w, changed))?;
                done.changed += 1;
            }
            for r in c.releases.iter().filter(|r| releases.contains(&r.participant)) {
                let note = said!("not on the roster of {} of {}", "no está en la lista de {} del {}", preview.source, ctx.today).en;
                record_status(w, r.participant, Status::Released, ctx.today, Some(note), vec![])?;
                done.released += 1;
            }
            let count = |n: usize| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
            let record = vec![
                ("source_id", Value::Text(source_id.to_string())),
                ("facility_id", Value::Text(request.facility.to_string())),
                ("file_name", Value::Text(file_name.chars().take(255).collect())),
                ("digest", Value::Text(digest.clone())),
                ("imported_on", Value::Text(ctx.today.to_string())),
                ("people", count(preview.people)),
                ("enrolled", count(done.enrolled)),
                ("changed", count(done.changed)),
                ("released", count(done.released)),
                ("returned", count(done.returned)),
                ("refused", count(done.refused)),
            ];
            w.write(&RecordChange { table: Table::RosterImports, id: w.ctx().new_uuid(), action: Action::Create, fields: record })?;
            w.audit(
                Action::Import,
                Some(Table::RosterImports.name()),
                None,
                &format!(
                    "roster file sha256 {digest}: {} enrolled, {} changed, {} released, {} returned, {} refused",
                    done.enrolled, done.changed, done.released, done.returned, done.refused
                ),
            )?;
            Ok(done)
        })
    }
}
