//! Check-in instruments as data (ADR 0014): a definition file names the items, the answer
//! scale, how the answers are scored (a sum, with reverse-scored items and subscales), the
//! reference line and bands, the languages it is written in, and its licence terms. The core
//! reads and checks a file here and scores every check-in with it; nothing about a particular
//! instrument is written in code.

use crate::error::{Error, FieldError, Result, Said};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The check-in Bridger ships, written for it, in English and Spanish.
pub const BUILT_IN: &str = include_str!("../../assets/instruments/bridger-checkin.json");

/// Text in each of the instrument's languages, by language code (`en`, `es`).
pub type Texts = BTreeMap<String, String>;

/// What the instrument's holder allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub holder: String,
    /// The terms in the holder's words, or where to read them.
    pub terms: String,
    /// The language the holder wrote it in; any other is a translation.
    pub original_language: String,
    pub may_translate: bool,
    pub may_change: bool,
    pub may_print: bool,
}

/// How a file relates to an instrument loaded before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Derivation {
    /// The same items in another language.
    Translation,
    /// Items reworded, added or removed.
    Adaptation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct BasedOn {
    pub key: String,
    pub change: Derivation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
    /// One label per point of the scale, lowest first, in each language.
    pub labels: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub key: String,
    pub text: Texts,
    /// Scored from the other end of the scale (agreeing is the low end).
    #[serde(default)]
    pub reverse: bool,
    #[serde(default)]
    pub subscale: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub from: i64,
    pub to: i64,
    pub label: Texts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// A reference line on the total, such as a published score above which recovery capital
    /// is considered strong; none when the instrument has none.
    #[serde(default)]
    pub cutoff: Option<i64>,
    #[serde(default)]
    pub cutoff_label: Texts,
    #[serde(default)]
    pub bands: Vec<Band>,
}

/// An instrument's definition, as its file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// The file format's version: 1.
    pub format: u32,
    pub key: String,
    pub version: String,
    pub name: Texts,
    pub languages: Vec<String>,
    pub licence: Licence,
    #[serde(default)]
    pub based_on: Option<BasedOn>,
    pub scale: Scale,
    pub items: Vec<Item>,
    pub scoring: Scoring,
}

/// A check-in's score: the total and each subscale's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Score {
    pub total: i64,
    pub subscales: Vec<(String, i64)>,
}

fn refuse(field: &'static str, message: Said) -> Error {
    Error::Validation(vec![FieldError::new(field, message)])
}

fn is_key(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl Instrument {
    /// Reads a definition file and checks it is whole: a file that does not parse, or that
    /// contradicts itself, is refused with what is wrong and where.
    pub fn parse(text: &str) -> Result<Instrument> {
        let instrument: Instrument = serde_json::from_str(text).map_err(|e| {
            refuse("definition", said!("the instrument file does not parse at line {}, column {}: {}", "el archivo del instrumento no se puede leer en la línea {}, columna {}: {}", e.line(), e.column(), crate::text::clean_line(&e.to_string())))
        })?;
        instrument.check()?;
        Ok(instrument)
    }

    fn check(&self) -> Result<()> {
        let mut errors = Vec::new();
        let mut wrong = |field: &'static str, message: Said| errors.push(FieldError::new(field, message));
        if self.format != 1 {
            wrong("format", said!("instrument files of format {} are not read by this version: format 1 is", "esta versión no lee archivos de instrumento de formato {}: lee el formato 1", self.format));
        }
        if !is_key(&self.key) {
            wrong("key", said!("the key is 1 to 40 lowercase letters, digits, - or _", "la clave tiene de 1 a 40 letras minúsculas, números, - o _"));
        }
        if self.version.trim().is_empty() || self.version.len() > 20 {
            wrong("version", said!("the version is 1 to 20 characters", "la versión tiene de 1 a 20 caracteres"));
        }
        if self.languages.is_empty() {
            wrong("languages", said!("name at least one language", "indique al menos un idioma"));
        }
        let languages: BTreeSet<&str> = self.languages.iter().map(String::as_str).collect();
        let covers = |texts: &Texts| languages.iter().all(|l| texts.get(*l).is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= 500));
        // Every text is in a language the file lists (a translation cannot hide in an item) and
        // holds no hidden characters that could reach a screen or a terminal.
        let mut texts: Vec<(&str, &str)> = vec![("licence", &self.licence.holder), ("licence", &self.licence.terms), ("version", &self.version)];
        let mut in_languages: Vec<&str> = Vec::new();
        let maps = std::iter::once(&self.name).chain(self.items.iter().map(|i| &i.text)).chain(std::iter::once(&self.scoring.cutoff_label)).chain(self.scoring.bands.iter().map(|b| &b.label));
        for map in maps {
            in_languages.extend(map.keys().map(String::as_str));
            texts.extend(map.values().map(|t| ("text", t.as_str())));
        }
        for (language, labels) in &self.scale.labels {
            in_languages.push(language);
            texts.extend(labels.iter().map(|t| ("scale", t.as_str())));
        }
        if let Some(other) = in_languages.iter().find(|l| !languages.contains(**l)) {
            wrong("languages", said!("the file holds a text in {}, which is not among the languages it lists", "el archivo contiene un texto en {}, que no está entre los idiomas que enumera", crate::text::clean_line(other)));
        }
        if let Some((field, _)) = texts.iter().find(|(_, t)| crate::text::clean_block(t) != *t) {
            wrong(field, said!("a text of the file holds hidden or control characters", "un texto del archivo contiene caracteres ocultos o de control"));
        }
        if !covers(&self.name) {
            wrong("name", said!("the name is given in every language the file names", "el nombre se da en todos los idiomas que indica el archivo"));
        }
        if !languages.contains(self.licence.original_language.as_str()) {
            wrong("licence", said!("the original language {} is not one of the file's languages", "el idioma original {} no es uno de los idiomas del archivo", self.licence.original_language));
        }
        if self.scale.min >= self.scale.max || self.scale.max - self.scale.min > 20 {
            wrong("scale", said!("the scale runs from a lower to a higher whole number, at most 21 points", "la escala va de un número entero menor a uno mayor, con 21 puntos como mucho"));
        }
        let points = usize::try_from(self.scale.max - self.scale.min + 1).unwrap_or(0);
        if languages.iter().any(|l| self.scale.labels.get(*l).is_none_or(|ls| ls.len() != points)) {
            wrong("scale", said!("the scale has {points} points: give that many labels in every language", "la escala tiene {points} puntos: dé ese número de etiquetas en cada idioma"));
        }
        if self.items.is_empty() || self.items.len() > 100 {
            wrong("items", said!("an instrument has 1 to 100 items", "un instrumento tiene de 1 a 100 preguntas"));
        }
        let mut keys = BTreeSet::new();
        for (n, item) in self.items.iter().enumerate() {
            if !is_key(&item.key) || !keys.insert(item.key.as_str()) {
                wrong("items", said!("item {} needs a key of its own (lowercase letters, digits, - or _)", "la pregunta {} necesita una clave propia (letras minúsculas, números, - o _)", n + 1));
            }
            if !covers(&item.text) {
                wrong("items", said!("item {} ({}) needs its text in every language the file names", "la pregunta {} ({}) necesita su texto en cada idioma que indica el archivo", n + 1, item.key));
            }
            if item.subscale.as_deref().is_some_and(|s| !is_key(s)) {
                wrong("items", said!("item {} names a subscale that is not a key", "la pregunta {} indica una subescala que no es una clave", n + 1));
            }
        }
        let (low, high) = self.total_range();
        if let Some(c) = self.scoring.cutoff {
            if !(low..=high).contains(&c) {
                wrong("scoring", said!("the reference line {c} is outside the totals {low} to {high}", "la línea de referencia {c} está fuera de los totales de {low} a {high}"));
            }
            if !self.scoring.cutoff_label.is_empty() && !covers(&self.scoring.cutoff_label) {
                wrong("scoring", said!("the reference line's label is given in every language", "la etiqueta de la línea de referencia se da en cada idioma"));
            }
        }
        // Bands, when given, cover every total once: each starts where the last one ended.
        let mut next = low;
        let mut bands_run = true;
        for band in &self.scoring.bands {
            bands_run &= band.from == next && band.to >= band.from && band.to <= high;
            next = band.to + 1;
        }
        let covered = self.scoring.bands.is_empty() || (bands_run && next == high + 1);
        if !covered {
            wrong("scoring", said!("the bands run upward from {low} to {high}, each starting where the last ended", "las franjas van en aumento de {low} a {high}, cada una empezando donde acabó la anterior"));
        }
        if self.scoring.bands.iter().any(|b| !covers(&b.label)) {
            wrong("scoring", said!("each band's label is given in every language", "la etiqueta de cada franja se da en cada idioma"));
        }
        let translated = languages.iter().any(|l| *l != self.licence.original_language);
        if translated && !self.licence.may_translate {
            wrong("licence", said!("its licence forbids translations, yet the file holds a text in another language than {}", "su licencia prohíbe las traducciones, pero el archivo contiene un texto en un idioma distinto de {}", self.licence.original_language));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errors))
        }
    }

    /// Refuses a file that asks to be a translation or an adaptation of `original` when the
    /// original's licence forbids it.
    pub fn check_derivation(&self, original: Option<&Instrument>) -> Result<()> {
        let Some(based) = &self.based_on else { return Ok(()) };
        let Some(original) = original else {
            return Err(refuse("based_on", said!("it is based on the instrument {}, which is not loaded here: load the original first", "se basa en el instrumento {}, que no está cargado aquí: cargue antes el original", based.key)));
        };
        let (allowed, what_en, what_es) = match based.change {
            Derivation::Translation => (original.licence.may_translate, "translated", "traducido"),
            Derivation::Adaptation => (original.licence.may_change, "changed", "modificado"),
        };
        if !allowed {
            let (name, holder) = (original.display_name("en"), &original.licence.holder);
            return Err(refuse(
                "based_on",
                Said { en: format!("the licence of {name} ({holder}) says it may not be {what_en}"), es: format!("la licencia de {name} ({holder}) dice que no puede ser {what_es}") },
            ));
        }
        Ok(())
    }

    /// The lowest and highest total the answers can give.
    pub fn total_range(&self) -> (i64, i64) {
        let n = i64::try_from(self.items.len()).unwrap_or(0);
        (n * self.scale.min, n * self.scale.max)
    }

    /// The name in `language`, or in the original language.
    pub fn display_name(&self, language: &str) -> &str {
        self.name.get(language).or_else(|| self.name.get(&self.licence.original_language)).map_or(self.key.as_str(), String::as_str)
    }

    /// The band a total falls in, in `language`.
    pub fn band(&self, total: i64, language: &str) -> Option<&str> {
        let band = self.scoring.bands.iter().find(|b| (b.from..=b.to).contains(&total))?;
        band.label.get(language).or_else(|| band.label.get(&self.licence.original_language)).map(String::as_str)
    }

    /// Scores a complete set of answers (item key → point on the scale): every item answered,
    /// each inside the scale, no answer to an item the instrument does not have.
    pub fn score(&self, answers: &BTreeMap<String, i64>) -> Result<Score> {
        let mut errors = Vec::new();
        for key in answers.keys() {
            if !self.items.iter().any(|i| &i.key == key) {
                errors.push(FieldError::new("answers", said!("{} has no item {}", "{} no tiene la pregunta {}", self.display_name("en"), crate::text::clean_line(key))));
            }
        }
        let mut total = 0;
        let mut subscales: BTreeMap<String, i64> = BTreeMap::new();
        for (n, item) in self.items.iter().enumerate() {
            match answers.get(&item.key) {
                None => errors.push(FieldError::new("answers", said!("item {} ({}) has no answer", "la pregunta {} ({}) no tiene respuesta", n + 1, item.key))),
                Some(v) if !(self.scale.min..=self.scale.max).contains(v) => errors.push(FieldError::new(
                    "answers",
                    said!("item {} ({}) is answered {v}, outside the scale {} to {}", "la pregunta {} ({}) tiene la respuesta {v}, fuera de la escala de {} a {}", n + 1, item.key, self.scale.min, self.scale.max),
                )),
                Some(v) => {
                    let points = if item.reverse { self.scale.min + self.scale.max - v } else { *v };
                    total += points;
                    if let Some(s) = &item.subscale {
                        *subscales.entry(s.clone()).or_default() += points;
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Score { total, subscales: subscales.into_iter().collect() })
        } else {
            Err(Error::Validation(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ten-item instrument of the published shape programs license: a six-point agreement
    /// scale, totals 10 to 60 and a reference line at 47. The item texts are placeholders.
    pub(crate) fn ten_items(licence_extra: &str, languages: &str) -> String {
        let spanish = languages.contains("es");
        let text = |en: String, es: String| if spanish { format!(r#"{{"en": "{en}", "es": "{es}"}}"#) } else { format!(r#"{{"en": "{en}"}}"#) };
        let items: Vec<String> = (1..=10).map(|n| format!(r#"{{"key": "i{n}", "text": {}}}"#, text(format!("Statement {n}"), format!("Afirmación {n}")))).collect();
        let labels = r#"["1","2","3","4","5","6"]"#;
        let labels = if spanish { format!(r#"{{"en": {labels}, "es": {labels}}}"#) } else { format!(r#"{{"en": {labels}}}"#) };
        format!(
            r#"{{"format": 1, "key": "capital-10", "version": "1", "name": {},
              "languages": {languages},
              "licence": {{"holder": "Its authors", "terms": "licensed per program", "original_language": "en", {licence_extra}}},
              "scale": {{"min": 1, "max": 6, "labels": {labels}}},
              "items": [{}],
              "scoring": {{"cutoff": 47, "bands": []}}}}"#,
            text("Ten-item capital scale".into(), "Escala de diez".into()),
            items.join(",")
        )
    }

    fn answers(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn the_built_in_check_in_reads_and_scores_with_reverse_items_and_subscales() {
        let i = Instrument::parse(BUILT_IN).unwrap();
        assert_eq!(i.languages, vec!["en", "es"]);
        let all_fours: BTreeMap<String, i64> = i.items.iter().map(|it| (it.key.clone(), 4)).collect();
        let score = i.score(&all_fours).unwrap();
        let reversed = i.items.iter().filter(|it| it.reverse).count() as i64;
        assert!(reversed > 0, "the built-in check-in has a reverse-scored item");
        assert_eq!(score.total, 4 * (i.items.len() as i64 - reversed) + 2 * reversed);
        assert_eq!(score.subscales.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), vec!["community", "health", "home", "purpose"]);
        assert_eq!(score.subscales.iter().map(|(_, v)| v).sum::<i64>(), score.total);
        assert!(i.band(score.total, "es").is_some());
    }

    #[test]
    fn a_ten_item_scale_totals_ten_to_sixty_with_its_line_at_47() {
        let i = Instrument::parse(&ten_items(r#""may_translate": true, "may_change": false, "may_print": true"#, r#"["en", "es"]"#)).unwrap();
        assert_eq!(i.total_range(), (10, 60));
        assert_eq!(i.scoring.cutoff, Some(47));
        let all: BTreeMap<String, i64> = (1..=10).map(|n| (format!("i{n}"), 6)).collect();
        assert_eq!(i.score(&all).unwrap().total, 60);
    }

    #[test]
    fn missing_out_of_scale_and_unknown_answers_are_refused() {
        let i = Instrument::parse(BUILT_IN).unwrap();
        let mut given: BTreeMap<String, i64> = i.items.iter().map(|it| (it.key.clone(), 3)).collect();
        let first = i.items[0].key.clone();
        given.remove(&first);
        let e = i.score(&given).unwrap_err();
        assert_eq!(e.fields()[0].field, "answers");
        assert!(e.fields()[0].message.contains("has no answer"), "{e}");
        given.insert(first.clone(), 9);
        assert!(i.score(&given).unwrap_err().fields()[0].message.contains("outside the scale"));
        given.insert(first, 3);
        given.insert("extra".into(), 3);
        assert!(i.score(&given).unwrap_err().fields()[0].message.contains("has no item extra"));
        assert!(i.score(&answers(&[])).is_err());
    }

    #[test]
    fn files_that_do_not_parse_or_contradict_themselves_are_refused() {
        let e = Instrument::parse("{ not json").unwrap_err();
        assert_eq!(e.fields()[0].field, "definition");
        assert!(e.fields()[0].message.contains("line 1"), "{e}");
        let unknown = BUILT_IN.replacen("\"format\": 1,", "\"format\": 1, \"colour\": \"red\",", 1);
        assert!(Instrument::parse(&unknown).unwrap_err().fields()[0].message.contains("colour"));
        let bad_line = BUILT_IN.replacen("\"cutoff\": 30", "\"cutoff\": 99", 1);
        assert_eq!(Instrument::parse(&bad_line).unwrap_err().fields()[0].field, "scoring");
    }

    #[test]
    fn a_translation_hidden_in_an_item_hidden_characters_and_gaps_between_bands_are_refused() {
        let english_only = ten_items(r#""may_translate": false, "may_change": false, "may_print": true"#, r#"["en"]"#);
        let hidden = english_only.replacen(r#""text": {"en": "Statement 1"}"#, r#""text": {"en": "Statement 1", "es": "Afirmación escondida"}"#, 1);
        assert_ne!(hidden, english_only);
        assert_eq!(Instrument::parse(&hidden).unwrap_err().fields()[0].field, "languages");
        let escaped = english_only.replacen("Statement 2", "Statement \\u001b[2J 2", 1);
        assert!(Instrument::parse(&escaped).unwrap_err().fields().iter().any(|f| f.message.contains("hidden or control")), "{escaped}");
        let gap = BUILT_IN.replacen(r#""from": 19"#, r#""from": 21"#, 1);
        assert!(Instrument::parse(&gap).unwrap_err().fields()[0].message.contains("each starting where the last ended"));
        let short = BUILT_IN.replacen(r#""to": 40"#, r#""to": 39"#, 1);
        assert_eq!(Instrument::parse(&short).unwrap_err().fields()[0].field, "scoring");
    }

    #[test]
    fn licence_terms_refuse_a_translation_or_change_they_forbid() {
        let no_translations = r#""may_translate": false, "may_change": false, "may_print": true"#;
        let e = Instrument::parse(&ten_items(no_translations, r#"["en", "es"]"#)).unwrap_err();
        assert_eq!(e.fields()[0].field, "licence");
        assert!(e.fields()[0].message.contains("forbids translations"), "{e}");
        let original = Instrument::parse(&ten_items(no_translations, r#"["en"]"#)).unwrap();
        let translation = Instrument { key: "capital-10-es".into(), based_on: Some(BasedOn { key: "capital-10".into(), change: Derivation::Translation }), ..original.clone() };
        let e = translation.check_derivation(Some(&original)).unwrap_err();
        assert!(e.to_string().contains("may not be translated"), "{e}");
        assert!(translation.check_derivation(None).unwrap_err().to_string().contains("load the original first"));
        let adaptation = Instrument { based_on: Some(BasedOn { key: "capital-10".into(), change: Derivation::Adaptation }), ..translation };
        assert!(adaptation.check_derivation(Some(&original)).unwrap_err().to_string().contains("may not be changed"));
    }
}
