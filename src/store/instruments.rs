//! The check-in instruments this site uses: the built-in check-in, and the ones a program
//! loaded from its own files (synced, so every workstation scores a check-in the same way).

use super::schema::Table;
use super::write::RecordChange;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::derived_id;
use crate::model::instrument::{Instrument, BUILT_IN};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use uuid::Uuid;

/// An instrument and the id check-ins name it by.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct InstrumentEntry {
    pub id: String,
    pub built_in: bool,
    pub definition: Instrument,
}

/// The id of an instrument's version: the same wherever the same file is loaded.
pub(crate) fn instrument_id(i: &Instrument) -> Uuid {
    derived_id(&["instrument", &i.key, &i.version])
}

/// The built-in check-in, read once: every list, check-in and timeline asks for it.
fn built_in() -> InstrumentEntry {
    static BUILT_IN_ENTRY: std::sync::OnceLock<InstrumentEntry> = std::sync::OnceLock::new();
    BUILT_IN_ENTRY
        .get_or_init(|| {
            // The built-in file is part of the build and its unit test reads it.
            let definition = Instrument::parse(BUILT_IN).expect("the built-in check-in parses");
            InstrumentEntry { id: instrument_id(&definition).to_string(), built_in: true, definition }
        })
        .clone()
}

/// Every instrument here: the built-in first, then those loaded, by name. A definition that
/// no longer reads (written by a newer version) is left out rather than failing the list.
pub(crate) fn all_instruments(conn: &Connection) -> Result<Vec<InstrumentEntry>> {
    let mut stmt = conn.prepare_cached("SELECT id, definition FROM instruments WHERE deleted = 0")?;
    let mut loaded: Vec<InstrumentEntry> = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .filter_map(|row| row.ok())
        .filter_map(|(id, text)| Instrument::parse(&text).ok().map(|definition| InstrumentEntry { id, built_in: false, definition }))
        .collect();
    loaded.sort_by(|a, b| a.definition.display_name("en").cmp(b.definition.display_name("en")));
    let mut all = vec![built_in()];
    all.extend(loaded);
    Ok(all)
}

/// The instrument `id`, or the built-in one when `id` is blank.
pub(crate) fn instrument(conn: &Connection, id: &str) -> Result<InstrumentEntry> {
    if id.trim().is_empty() {
        return Ok(built_in());
    }
    all_instruments(conn)?.into_iter().find(|i| i.id == id.trim()).ok_or_else(|| Error::field("instrument_id", said!("that instrument is not loaded here", "ese instrumento no está cargado aquí")))
}

impl Store {
    pub fn instruments(&self) -> Result<Vec<InstrumentEntry>> {
        self.allowed(Need::Role(Permission::ViewParticipants))?;
        all_instruments(&self.conn)
    }

    /// Loads an instrument from its definition file, chosen by the person; a file larger than
    /// any instrument (1 MB) is refused before it is read.
    pub fn load_instrument_file(&mut self, ctx: &WriteCtx, path: &std::path::Path) -> Result<InstrumentEntry> {
        self.allowed(Need::Role(Permission::ManageSite))?;
        let io = |e: std::io::Error| Error::Io { context: said!("reading {}", "leyendo {}", path.display()), source: e };
        if std::fs::metadata(path).map_err(io)?.len() > 1 << 20 {
            return Err(Error::field("definition", said!("an instrument file is at most 1 MB: this is not one", "un archivo de instrumento ocupa como mucho 1 MB: este no lo es")));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::field("definition", said!("the instrument file is not UTF-8 text", "el archivo del instrumento no es texto UTF-8")))?;
        self.load_instrument(ctx, &text)
    }

    /// Loads an instrument from the text of its definition file. A file that does not parse,
    /// contradicts itself, or asks to translate or change an instrument whose licence forbids
    /// it is refused; loading the same file twice changes nothing.
    pub fn load_instrument(&mut self, ctx: &WriteCtx, text: &str) -> Result<InstrumentEntry> {
        self.allowed(Need::Role(Permission::ManageSite))?;
        let definition = Instrument::parse(text)?;
        let id = instrument_id(&definition);
        self.change(ctx, Need::Role(Permission::ManageSite), |w| {
            let all = all_instruments(w.tx())?;
            if let Some(same) = all.iter().find(|i| i.id == id.to_string()) {
                if same.definition == definition {
                    return Ok(());
                }
                return Err(Error::field("version", said!("another file of {} version {} is loaded already: give this one a new version", "ya hay cargado otro archivo de {} versión {}: dele a este una versión nueva", definition.key, definition.version)));
            }
            if let Some(based) = &definition.based_on {
                let original = all.iter().rev().find(|i| i.definition.key == based.key).map(|i| &i.definition);
                definition.check_derivation(original)?;
            }
            let stored: Option<String> = w.tx().query_row("SELECT id FROM instruments WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?;
            let json = serde_json::to_string(&definition).map_err(|e| Error::field("definition", said!("the instrument could not be stored ({e})", "no se pudo guardar el instrumento ({e})")))?;
            let fields = vec![("key", Value::Text(definition.key.clone())), ("definition", Value::Text(json)), ("deleted", Value::Integer(0))];
            // A file loaded, removed and loaded again brings its record back.
            let action = if stored.is_some() { Action::Update } else { Action::Create };
            w.write(&RecordChange { table: Table::Instruments, id, action, fields })
        })?;
        instrument(&self.conn, &id.to_string())
    }
}
