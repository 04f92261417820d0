//! Reading stored values back into the domain's types. A value another site wrote passed the
//! same checks as one typed here (`schema.rs`), but a record can still arrive in parts, so each
//! reader falls back rather than failing the whole screen.

use crate::model::Area;
use chrono::NaiveDate;
use uuid::Uuid;

pub(crate) fn uuid_col(text: Option<String>) -> Option<Uuid> {
    text.and_then(|t| Uuid::parse_str(&t).ok())
}

pub(crate) fn date_col(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

pub(crate) fn area_col(text: &str) -> Area {
    Area::parse(text).unwrap_or(Area::RecoverySupports)
}
