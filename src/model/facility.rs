use super::{FacilityId, LocationId};
use crate::error::{Error, FieldError, Result};
use crate::text::clean_line;
use serde::{Deserialize, Serialize};

/// Where a place inside a facility is used for: people live in units, groups meet in rooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Unit,
    Room,
}

impl LocationKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            LocationKind::Unit => "unit",
            LocationKind::Room => "room",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unit" => Some(LocationKind::Unit),
            "room" => Some(LocationKind::Room),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Location {
    pub id: LocationId,
    pub kind: LocationKind,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Facility {
    pub id: FacilityId,
    pub name: String,
    pub code: String,
    pub units: Vec<Location>,
    pub rooms: Vec<Location>,
}

/// A facility as it is first set up: its name, a short code and the places in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct NewFacility {
    pub name: String,
    pub code: String,
    pub units: Vec<String>,
    pub rooms: Vec<String>,
}

impl NewFacility {
    /// Trims every name and refuses what cannot be a usable facility.
    pub fn validated(&self) -> Result<NewFacility> {
        let mut errors = Vec::new();
        let name = clean_line(&self.name);
        let code = clean_line(&self.code).to_uppercase();
        if name.is_empty() {
            errors.push(FieldError::new("name", said!("the facility needs a name", "el centro necesita un nombre")));
        } else if name.chars().count() > 120 {
            errors.push(FieldError::new("name", said!("a facility name is at most 120 characters", "el nombre de un centro tiene como mucho 120 caracteres")));
        }
        if code.is_empty() {
            errors.push(FieldError::new("code", said!("the facility needs a short code, such as CCJ", "el centro necesita un código corto, como CCJ")));
        } else if code.chars().count() > 12 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            errors.push(FieldError::new("code", said!("a facility code is up to 12 letters, digits or hyphens", "el código de un centro tiene hasta 12 letras, números o guiones")));
        }
        let units = clean_list(&self.units);
        let rooms = clean_list(&self.rooms);
        for (field, list) in [("units", &units), ("rooms", &rooms)] {
            if list.iter().any(|n| n.chars().count() > 60) {
                errors.push(FieldError::new(field, said!("a unit or room name is at most 60 characters", "el nombre de una unidad o sala tiene como mucho 60 caracteres")));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(NewFacility { name, code, units, rooms })
    }
}

fn clean_list(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names.iter().map(|n| clean_line(n)).filter(|n| !n.is_empty()) {
        if !out.iter().any(|seen| seen.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    out
}
