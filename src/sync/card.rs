//! A site's keys for bundles and the public card another site adds it from. The card carries
//! only public keys; a person compares its fingerprint, read aloud or over the phone, before
//! trusting it, because a card on a USB stick could have been swapped.

use crate::error::{Error, Result};
use crate::model::SiteId;
use age::secrecy::ExposeSecret;
use data_encoding::{BASE32_NOPAD, BASE64};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Format 2 covers the site's name in the fingerprint; a format-1 card could be renamed on its
/// way without the fingerprint showing it.
const CARD_FORMAT: &str = "bridger-site-card/2";

/// This site's secret keys: an X25519 identity in the age format to decrypt bundles sent to
/// it, and an ed25519 key to sign the bundles it writes.
pub struct SiteKeys {
    pub(crate) age: age::x25519::Identity,
    pub(crate) signing: SigningKey,
}

impl SiteKeys {
    pub(crate) fn generate() -> Result<SiteKeys> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|e| Error::KeyFile(said!("the system's random source failed ({e})", "falló la fuente de azar del sistema ({e})")))?;
        Ok(SiteKeys { age: age::x25519::Identity::generate(), signing: SigningKey::from_bytes(&seed) })
    }

    /// The secret forms kept in the encrypted database.
    pub(crate) fn to_stored(&self) -> (Zeroizing<String>, Zeroizing<[u8; 32]>) {
        (Zeroizing::new(self.age.to_string().expose_secret().to_string()), Zeroizing::new(self.signing.to_bytes()))
    }

    pub(crate) fn from_stored(age_identity: &str, signing: &[u8]) -> Result<SiteKeys> {
        let damaged = || Error::KeyFile(said!("this site's sync keys are damaged; restore the database from a backup", "las claves de sincronización de este sitio están dañadas; restaure la base de datos desde una copia de seguridad"));
        let age = age_identity.parse::<age::x25519::Identity>().map_err(|_| damaged())?;
        let bytes: [u8; 32] = signing.try_into().map_err(|_| damaged())?;
        Ok(SiteKeys { age, signing: SigningKey::from_bytes(&bytes) })
    }

    pub(crate) fn card(&self, site_id: SiteId, name: &str) -> SiteCard {
        let age_recipient = self.age.to_public().to_string();
        let verify_key = BASE64.encode(self.signing.verifying_key().as_bytes());
        let fingerprint = fingerprint(&site_id.to_string(), name, &age_recipient, &verify_key);
        SiteCard { format: CARD_FORMAT.into(), site_id, name: name.to_string(), age_recipient, verify_key, fingerprint }
    }
}

/// What one site gives another so that it can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SiteCard {
    pub format: String,
    pub site_id: SiteId,
    pub name: String,
    pub age_recipient: String,
    pub verify_key: String,
    pub fingerprint: String,
}

/// Sixteen letters and digits in groups of four, from a SHA-256 of the site id, its name and both
/// public keys: short enough to read aloud, long enough that a forged card will not match by
/// chance.
pub fn fingerprint(site_id: &str, name: &str, age_recipient: &str, verify_key: &str) -> String {
    let mut h = Sha256::new();
    for part in [site_id, name, age_recipient, verify_key] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest: [u8; 32] = h.finalize().into();
    let text = BASE32_NOPAD.encode(&digest[..10]);
    text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// Letters and digits only, upper case: how a fingerprint typed by a person is compared.
fn normalized(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase()
}

fn not_a_card() -> Error {
    Error::field("card", said!("this file is not a Bridger site card", "este archivo no es una tarjeta de sitio de Bridger"))
}

impl SiteCard {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads the card in the file at `path`. A card is a few hundred bytes: a larger file is not
    /// one, and is not read whole.
    pub fn read(path: &std::path::Path) -> Result<SiteCard> {
        use std::io::Read;
        const MAX_CARD: u64 = 64 * 1024;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_CARD + 1).read_to_end(&mut bytes))
            .map_err(|source| Error::Io { context: said!("cannot read {}", "no se puede leer {}", path.display()), source })?;
        if bytes.len() as u64 > MAX_CARD {
            return Err(not_a_card());
        }
        Self::parse(&String::from_utf8(bytes).map_err(|_| not_a_card())?)
    }

    /// Reads a card and checks it is whole: its keys parse and its fingerprint is the one its
    /// name and keys give. Says which of those is wrong. A name with hidden characters in it
    /// (a terminal escape, a reversed word) is refused: it could not have been typed.
    pub fn parse(text: &str) -> Result<SiteCard> {
        let card: SiteCard = serde_json::from_str(text).map_err(|_| not_a_card())?;
        if card.format != CARD_FORMAT {
            return Err(Error::field("card", said!("this site card was written by another version of Bridger: ask the site for a new card", "esta tarjeta de sitio la escribió otra versión de Bridger: pida al sitio una tarjeta nueva")));
        }
        if crate::text::clean_line(&card.name) != card.name || card.name.is_empty() || card.name.chars().count() > 120 {
            return Err(Error::field("card", said!("this site card's name is not a plain name: ask the site for a new card", "el nombre de esta tarjeta de sitio no es un nombre simple: pida al sitio una tarjeta nueva")));
        }
        if card.age_recipient.parse::<age::x25519::Recipient>().is_err() || card.verifying_key().is_err() {
            return Err(Error::field("card", said!("this site card's keys are damaged: ask the site for a new card", "las claves de esta tarjeta de sitio están dañadas: pida al sitio una tarjeta nueva")));
        }
        if fingerprint(&card.site_id.to_string(), &card.name, &card.age_recipient, &card.verify_key) != card.fingerprint {
            return Err(Error::field("card", said!("this site card was changed after it was written: ask the site for a new card", "esta tarjeta de sitio se cambió después de escribirse: pida al sitio una tarjeta nueva")));
        }
        Ok(card)
    }

    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey> {
        let bytes: [u8; 32] = BASE64
            .decode(self.verify_key.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| Error::field("card", said!("this site card's signing key is damaged", "la clave de firma de esta tarjeta de sitio está dañada")))?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| Error::field("card", said!("this site card's signing key is damaged", "la clave de firma de esta tarjeta de sitio está dañada")))
    }

    /// Whether `typed` is this card's fingerprint, ignoring case, spaces and dashes.
    pub fn matches(&self, typed: &str) -> bool {
        !typed.trim().is_empty() && normalized(typed) == normalized(&self.fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> (SiteKeys, SiteCard) {
        let keys = SiteKeys::generate().unwrap();
        let card = keys.card(SiteId::from_uuid(uuid::Uuid::nil()), "Riverside Jail");
        (keys, card)
    }

    #[test]
    fn a_card_reads_back_and_its_fingerprint_is_checked() {
        let (keys, card) = card();
        let back = SiteCard::parse(&card.to_json()).unwrap();
        assert_eq!(back, card);
        assert_eq!(card.fingerprint.len(), 19);
        assert!(card.matches(&card.fingerprint.to_lowercase().replace('-', " ")));
        assert!(!card.matches(""));
        let (stored_age, stored_signing) = keys.to_stored();
        let again = SiteKeys::from_stored(&stored_age, stored_signing.as_ref()).unwrap();
        assert_eq!(again.card(card.site_id, "Riverside Jail"), card);
    }

    #[test]
    fn a_changed_or_foreign_card_is_refused_with_its_reason() {
        let (_, card) = card();
        let (_, other) = self::card();
        let swapped = SiteCard { verify_key: other.verify_key.clone(), ..card.clone() };
        assert!(SiteCard::parse(&swapped.to_json()).unwrap_err().to_string().contains("changed after it was written"));
        let renamed = SiteCard { name: "State Office".into(), ..card.clone() };
        assert!(SiteCard::parse(&renamed.to_json()).unwrap_err().to_string().contains("changed after it was written"), "the name is covered");
        let broken = SiteCard { age_recipient: "age1nonsense".into(), ..card.clone() };
        assert!(SiteCard::parse(&broken.to_json()).unwrap_err().to_string().contains("damaged"));
        assert!(SiteCard::parse("{}").unwrap_err().to_string().contains("not a Bridger site card"));
        assert!(!card.matches(&other.fingerprint));
    }
}
