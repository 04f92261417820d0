//! Entry points for `cargo fuzz` (fuzz/): the bundle reader fed hostile bytes, with keys fixed
//! here so that a valid bundle can be built and then damaged, and every change it yields put
//! through what an import decides of it, as from a community partner and as from a program
//! site. Compiled only under `--cfg fuzzing`, which cargo-fuzz sets; nothing here is part of the
//! app.

use crate::model::SiteId;
use crate::store::{format1_events, partner_may_write, Arriving, Decoder, Ready};
use crate::sync::bundle::{self, Header, Lock};
use crate::sync::payload::{Event, PayloadReader, PayloadWriter};
use crate::sync::segment::{Bounds, Covered};
use crate::sync::Names;
use ed25519_dalek::SigningKey;
use std::collections::BTreeMap;
use std::io::Write;
use std::str::FromStr;
use std::sync::OnceLock;

/// A throwaway identity: fixed so that a crashing input found once replays the same way.
const AGE_SECRET: &str = "AGE-SECRET-KEY-14J2HLMZKW2FFEPG0CKNT3UNF29MDX6FMCPXKCWRAN59XQFUNP0KSXJ69XY";

struct Keys {
    age: age::x25519::Identity,
    signing: SigningKey,
    site: SiteId,
    valid: Vec<u8>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let age = age::x25519::Identity::from_str(AGE_SECRET).expect("the fixed fuzzing identity parses");
        let signing = SigningKey::from_bytes(&[7; 32]);
        let site = SiteId::from_uuid(uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001));
        let (payload, names) = valid_payload(&signing, site);
        let valid = sealed(&age, &signing, site, 2, names, &payload);
        Keys { age, signing, site, valid }
    })
}

/// A payload of one signed segment of two changes, one of them a partner's confirmation.
fn valid_payload(signing: &SigningKey, site: SiteId) -> (Vec<u8>, Names) {
    let mut out = PayloadWriter::new(Vec::new()).expect("a payload writer");
    let record = [5u8; 16];
    out.begin_segment(Bounds { origin: site, first: 1, last: 2, count: 2 }, true).expect("a segment");
    out.change(&Covered { hlc: 1, tbl: "disclosures", record: &record, field: "confirmed_on", value: "\"2026-11-24\"", prev: None }).expect("a change");
    out.change(&Covered { hlc: 2, tbl: "participants", record: &record, field: "notes", value: "\"x\"", prev: Some((site, 1)) }).expect("a change");
    out.end_segment(None, Some(signing)).expect("signed");
    let (bytes, names, _) = out.finish().expect("finished");
    (bytes, names)
}

/// A bundle of format `format` from and for `site` whose decrypted payload is `payload`.
fn sealed(age: &age::x25519::Identity, signing: &SigningKey, site: SiteId, format: u32, names: Names, payload: &[u8]) -> Vec<u8> {
    let mut header = Header {
        format,
        critical: Vec::new(),
        exporter: site,
        exporter_name: "Fuzz Site".into(),
        recipients: vec![site],
        created_ms: 1_800_000_000_000,
        seen: BTreeMap::from([(site, 5)]),
        ranges: BTreeMap::new(),
        origin_keys: BTreeMap::new(),
        audit_head_seq: 3,
        audit_head_hash: "00".repeat(32),
        audit_at: BTreeMap::new(),
        your_audit_heads: BTreeMap::new(),
        names,
        payload_sha256: String::new(),
        payload_len: 0,
        passphrase: false,
        notice: None,
    };
    let recipient = age.to_public();
    let mut encrypting = bundle::encrypt(Vec::new(), &Lock::Recipient(&recipient), &mut header).expect("a bundle of fixed keys encrypts");
    encrypting.write_all(payload).expect("written to memory");
    let ciphertext = bundle::end_encryption(encrypting, &mut header).expect("encrypted");
    let mut out = Vec::new();
    bundle::lay_out(&header, signing, &mut out, &mut ciphertext.as_slice()).expect("laid out in memory");
    out
}

/// Every step import takes before the database: header, signature, digest, decryption, the
/// changes and their signatures, and what becomes of each change (a partner's rules, the value
/// checks). None may panic, whatever the bytes. Returns how many changes were read.
fn read(bytes: &[u8]) -> Option<usize> {
    let k = keys();
    let mut file = std::io::Cursor::new(bytes);
    let opened = bundle::open(&mut file, u64::MAX).ok()?;
    let _ = opened.signed_by(&k.signing.verifying_key());
    let _ = opened.check_payload(&mut file);
    // Decrypted even when the digest fails, so that damaged age streams are read too.
    let decrypted = opened.decrypting(&mut file, &k.age, None).ok()?;
    let trusted = BTreeMap::from([(k.site, k.signing.verifying_key())]);
    let format1;
    let (names, events): (&Names, Vec<Event>) = if opened.header.format < 2 {
        let (names, events) = format1_events(&decrypted.read_whole().ok()?, &trusted).ok()?;
        format1 = names;
        (&format1, events)
    } else {
        let events: crate::error::Result<Vec<Event>> = PayloadReader::new(decrypted, &opened.header.names, &trusted).ok()?.collect();
        (&opened.header.names, events.ok()?)
    };
    let mut decoder = Decoder::new(names);
    let elsewhere = SiteId::from_uuid(uuid::Uuid::from_u128(2));
    let mut changes = 0;
    for event in events {
        changes += usize::from(matches!(event, Event::Change(_)));
        let Ok(Ready::Change(c, Some(d))) = decoder.decode(event) else { continue };
        let e = Arriving { origin: c.origin, table: d.table, field: d.field, record: uuid::Uuid::from_bytes(c.record) };
        let _ = partner_may_write(&e, k.site, elsewhere, |record| (record.as_bytes()[0] % 2 == 1).then_some(k.site));
    }
    Some(changes)
}

/// The first byte chooses what the rest is: a whole file; damage (offset, byte pairs) done to
/// a valid bundle; or a payload (format 2, or format 1's JSON) sealed into a bundle whose
/// header, signature and digest hold.
pub fn bundle_reader(data: &[u8]) {
    let Some((mode, rest)) = data.split_first() else { return };
    match mode % 4 {
        0 => {
            read(rest);
        }
        1 => {
            let mut damaged = keys().valid.clone();
            for pair in rest.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([pair[0], pair[1]])) % damaged.len();
                damaged[at] = pair[2];
            }
            read(&damaged);
        }
        2 => {
            let k = keys();
            let (_, names) = valid_payload(&k.signing, k.site);
            read(&sealed(&k.age, &k.signing, k.site, 2, names, rest));
        }
        _ => {
            let k = keys();
            read(&sealed(&k.age, &k.signing, k.site, 1, Names::default(), rest));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_valid_bundle_reads_and_a_forged_change_does_not() {
        let k = keys();
        assert_eq!(read(&k.valid), Some(2));
        let forged = format!(
            r#"[{{"origin":"{}","hlc":9,"tbl":"participants","record":"{}","field":"notes","value":"x","prev":null,"sig":"AAAA"}}]"#,
            k.site,
            uuid::Uuid::from_u128(1)
        );
        assert!(read(&sealed(&k.age, &k.signing, k.site, 1, Names::default(), forged.as_bytes())).is_none());
        let (mut payload, names) = valid_payload(&k.signing, k.site);
        let last = payload.len() - 1;
        payload[last] ^= 1;
        assert!(read(&sealed(&k.age, &k.signing, k.site, 2, names, &payload)).is_none(), "a damaged payload reads as nothing");
    }

    #[test]
    fn each_mode_reads_hostile_input_without_panicking() {
        for data in [&b""[..], b"\0BRIDGER BUNDLE\n{}\n\n", b"\x01\x10\x00\xff\x40\x00\x00", b"\x02\x28\xb5\x2f\xfd", b"\x03[{\"origin\":1}]", b"\x03null"] {
            bundle_reader(data);
        }
    }
}
