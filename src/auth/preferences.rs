//! How one person reads the screens: their language, and the order of a date typed with slashes
//! (7/4/1991 is the fourth of July in the United States and the seventh of April elsewhere).
//! Each account keeps its own; they decide nothing about access.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub enum ScreenLanguage {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "es")]
    Spanish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub enum DateOrder {
    /// Month first, as US staff type dates: 7/4/1991.
    #[default]
    #[serde(rename = "mdy")]
    MonthFirst,
    /// Day first: 4/7/1991.
    #[serde(rename = "dmy")]
    DayFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct Preferences {
    pub language: ScreenLanguage,
    pub date_order: DateOrder,
}

impl ScreenLanguage {
    pub const ALL: [ScreenLanguage; 2] = [ScreenLanguage::English, ScreenLanguage::Spanish];

    pub const fn as_str(self) -> &'static str {
        match self {
            ScreenLanguage::English => "en",
            ScreenLanguage::Spanish => "es",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }
}

impl DateOrder {
    pub const ALL: [DateOrder; 2] = [DateOrder::MonthFirst, DateOrder::DayFirst];

    pub const fn as_str(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "mdy",
            DateOrder::DayFirst => "dmy",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s.trim())
    }
}

impl Preferences {
    /// As stored and audited: `language=es date_order=dmy`.
    pub fn describe(&self) -> String {
        format!("language={} date_order={}", self.language.as_str(), self.date_order.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_parses_back_from_what_is_stored() {
        for l in ScreenLanguage::ALL {
            assert_eq!(ScreenLanguage::parse(l.as_str()), Some(l));
        }
        for o in DateOrder::ALL {
            assert_eq!(DateOrder::parse(o.as_str()), Some(o));
        }
        assert_eq!(ScreenLanguage::parse("fr"), None);
        assert_eq!(DateOrder::parse("ymd"), None);
    }
}
