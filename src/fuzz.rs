//! Entry points for `cargo fuzz` (fuzz/): the bundle reader fed hostile bytes, with keys fixed
//! here so that a valid bundle can be built and then damaged, and every change it yields put
//! through what an import decides of it, as from a community partner and as from a program
//! site. Compiled only under `--cfg fuzzing`, which cargo-fuzz sets; nothing here is part of the
//! app.

use crate::sync::bundle::{self, seal, Entry, Header, Lock, Range};
use crate::model::SiteId;
use crate::store::{admit, read_entries};
use ed25519_dalek::SigningKey;
use std::collections::BTreeMap;
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
        let valid = sealed(&age, &signing, site, b"[]");
        Keys { age, signing, site, valid }
    })
}

fn sealed(age: &age::x25519::Identity, signing: &SigningKey, site: SiteId, payload: &[u8]) -> Vec<u8> {
    let header = Header {
        format: bundle::FORMAT,
        critical: Vec::new(),
        exporter: site,
        exporter_name: "Fuzz Site".into(),
        recipients: vec![site],
        created_ms: 1_800_000_000_000,
        seen: BTreeMap::from([(site, 5)]),
        ranges: BTreeMap::from([(site, Range { first: 1, last: 5, count: 5 })]),
        origin_keys: BTreeMap::new(),
        audit_head_seq: 3,
        audit_head_hash: "00".repeat(32),
        audit_at: BTreeMap::new(),
        your_audit_heads: BTreeMap::new(),
        payload_sha256: String::new(),
        payload_len: 0,
        passphrase: false,
        notice: None,
    };
    seal(header, payload, Lock::Recipient(&age.to_public()), signing).expect("a bundle of fixed keys seals")
}

/// Every step import takes before the database: header, signature, digest, decryption, the
/// changes and their signatures, and what becomes of each change (a partner's rules, the value
/// checks). None may panic, whatever the bytes.
fn read(bytes: &[u8]) -> Option<Vec<Entry>> {
    let k = keys();
    let mut file = std::io::Cursor::new(bytes);
    let opened = bundle::open(&mut file, u64::MAX).ok()?;
    let _ = opened.signed_by(&k.signing.verifying_key());
    // Decrypted even when the digest fails, so that damaged age streams are read too.
    let ciphertext = opened.read_payload(&mut file).unwrap_or_else(|_| after_header(bytes).to_vec());
    let payload = opened.decrypt(&ciphertext, &k.age, None).ok()?;
    let read = read_entries(&payload, &BTreeMap::from([(k.site, k.signing.verifying_key())])).ok()?;
    let elsewhere = SiteId::from_uuid(uuid::Uuid::from_u128(2));
    for e in &read.checked {
        let _ = admit(e, Some(k.site), elsewhere, |record| (record.len() % 2 == 0).then_some(k.site));
        let _ = admit(e, None, elsewhere, |_| None);
    }
    Some(read.checked)
}

/// What follows the magic, header and signature lines: the payload as the file holds it.
fn after_header(bytes: &[u8]) -> &[u8] {
    let mut lines = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            lines += 1;
            if lines == 3 {
                return &bytes[i + 1..];
            }
        }
    }
    &[]
}

/// The first byte chooses what the rest is: a whole file; damage (offset, byte pairs) done to
/// a valid bundle; or a payload sealed into a bundle whose header, signature and digest hold.
pub fn bundle_reader(data: &[u8]) {
    let Some((mode, rest)) = data.split_first() else { return };
    match mode % 3 {
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
        _ => {
            let k = keys();
            read(&sealed(&k.age, &k.signing, k.site, rest));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_valid_bundle_reads_and_a_forged_change_does_not() {
        assert_eq!(read(&keys().valid).map(|e| e.len()), Some(0));
        let k = keys();
        let forged = format!(
            r#"[{{"origin":"{}","hlc":9,"tbl":"participants","record":"{}","field":"notes","value":"x","prev":null,"sig":"AAAA"}}]"#,
            k.site,
            uuid::Uuid::from_u128(1)
        );
        assert!(read(&sealed(&k.age, &k.signing, k.site, forged.as_bytes())).is_none());
    }

    #[test]
    fn each_mode_reads_hostile_input_without_panicking() {
        for data in [&b""[..], b"\0BRIDGER BUNDLE\n{}\n\n", b"\x01\x10\x00\xff\x40\x00\x00", b"\x02[{\"origin\":1}]", b"\x02null"] {
            bundle_reader(data);
        }
    }
}
