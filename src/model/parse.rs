//! What the shells pass on as typed (a date, a record's id) read once, here, so the desktop app
//! and the command line accept and refuse exactly the same text, with the same message.

use crate::error::{Error, Result};
use super::participant::DATE_YEARS;
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

/// A date written as YYYY-MM-DD, in a year Bridger keeps; the refusal names `field`.
pub fn date(field: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| DATE_YEARS.contains(&d.year()))
        .ok_or_else(|| Error::field(field, said!("the date is written as YYYY-MM-DD, in a year from 1900 to 2199", "la fecha se escribe como AAAA-MM-DD, en un año de 1900 a 2199")))
}

/// A date that may be left out: `None` or blank is none.
pub fn optional_date(field: &'static str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(|t| date(field, t)).transpose()
}

/// A record's id; one that is not an id is "not found", as an unknown one is, without saying
/// back what was typed (a name pasted in the wrong box stays off the screen and out of logs).
pub fn record_id(what: &'static str, text: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| Error::NotFound { what, id: "(not an id)".into() })
}

/// An id that may be left out: `None` or blank is none.
pub fn optional_record_id(what: &'static str, text: Option<&str>) -> Result<Option<Uuid>> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(|t| record_id(what, t)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dates_and_ids_are_read_or_refused_with_their_field() {
        assert_eq!(date("on", " 2026-11-24 ").unwrap(), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(date("revoked_on", "24/11/2026").unwrap_err().fields()[0].field, "revoked_on");
        assert_eq!(optional_date("from", Some("  ")).unwrap(), None);
        assert_eq!(record_id("consent", "SMITH, Mary").unwrap_err().to_string(), "no consent with id (not an id)");
        assert_eq!(optional_record_id("plan item", None).unwrap(), None);
    }
}
