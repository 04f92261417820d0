//! The fixed vocabularies records choose from: each word has the id stored and synced, and the
//! label a screen shows. One macro writes them so every list has the same four things.

/// A closed list of words: `ALL` in display order, `IDS` for the schema's checks, `as_str`,
/// `label` and `parse`.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, specta::Type)]
        pub enum $name {
            $(#[serde(rename = $id)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            #[allow(dead_code, reason = "a vocabulary shown but never stored has no schema check")]
            pub(crate) const IDS: &'static [&'static str] = &[$($id,)+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|w| w.as_str() == s.trim())
            }
        }
    };
}

pub(crate) use words;
