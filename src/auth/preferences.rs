//! How one person reads the screens: their language, and the order of a date typed with slashes
//! (7/4/1991 is the fourth of July in the United States and the seventh of April elsewhere), and
//! the size of the text. Each account keeps its own; they decide nothing about access.

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

/// The size of the screens' text, as a percentage of the standard size. A shared workstation
/// serves people who need large text and people who need the whole roster on one screen, so it
/// belongs to the account, not to the workstation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(try_from = "u16", into = "u16")]
pub struct TextSize(u16);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct Preferences {
    pub language: ScreenLanguage,
    pub date_order: DateOrder,
    pub text_size: TextSize,
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

impl TextSize {
    /// The sizes offered, up to the 200% that WCAG asks text to survive.
    pub const ALL: [u16; 5] = [100, 125, 150, 175, 200];

    pub fn parse(percent: u16) -> Option<Self> {
        Self::ALL.contains(&percent).then_some(Self(percent))
    }

    pub const fn percent(self) -> u16 {
        self.0
    }
}

impl Default for TextSize {
    fn default() -> Self {
        Self(100)
    }
}

impl TryFrom<u16> for TextSize {
    type Error = String;
    fn try_from(percent: u16) -> Result<Self, String> {
        Self::parse(percent).ok_or_else(|| format!("{percent}% is not a text size: one of {:?}", Self::ALL))
    }
}

impl From<TextSize> for u16 {
    fn from(size: TextSize) -> u16 {
        size.0
    }
}

impl Preferences {
    /// As stored and audited: `language=es date_order=dmy text_size=150`.
    pub fn describe(&self) -> String {
        format!("language={} date_order={} text_size={}", self.language.as_str(), self.date_order.as_str(), self.text_size.percent())
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
        for p in TextSize::ALL {
            assert_eq!(TextSize::parse(p).map(TextSize::percent), Some(p));
        }
        assert_eq!(TextSize::parse(90), None);
        assert_eq!(TextSize::parse(300), None);
    }

    #[test]
    fn a_text_size_not_offered_is_refused_when_read_from_the_screens() {
        let read: Result<Preferences, _> = serde_json::from_str(r#"{"language":"en","date_order":"mdy","text_size":130}"#);
        assert!(read.unwrap_err().to_string().contains("130% is not a text size"));
        let read: Result<Preferences, _> = serde_json::from_str(r#"{"language":"es","date_order":"dmy","text_size":150}"#);
        assert_eq!(read.map(|p| p.text_size.percent()).ok(), Some(150));
    }
}
