//! Site cards and trust: the first step of sync by bundle files.

use crate::fixture::{ctx, PASSWORD};
use bridger::store::PeerKind;
use bridger::site;
use bridger::sync::SiteCard;
use bridger::ErrorCode;

use crate::fixture::site_on_disk as site;

#[test]
fn a_site_is_trusted_from_its_card_only_when_the_fingerprint_heard_matches() {
    let dir = tempfile::tempdir().unwrap();
    let (mut jail, jail_files) = site(&dir, "Riverside Jail", 1);
    let (mut office, _) = site(&dir, "State Office", 2);
    let card = jail.site_card(&ctx()).unwrap();
    assert_eq!(jail.site_card(&ctx()).unwrap(), card, "the keys are made once");
    drop(jail);
    let reopened = site::sign_in(&jail_files, &ctx(), "ada", PASSWORD).map(|s| s.store).unwrap();
    let mut reopened = reopened;
    assert_eq!(reopened.site_card(&ctx()).unwrap(), card, "and kept in the database");

    let carried = SiteCard::parse(&card.to_json()).unwrap();
    let wrong = office.trust_peer(&ctx(), &carried, "AAAA-BBBB-CCCC-DDDD", PeerKind::ProgramSite).unwrap_err();
    assert_eq!(wrong.fields()[0].field, "fingerprint");
    assert!(office.peers().unwrap().is_empty(), "nothing was added");
    let heard = card.fingerprint.to_lowercase().replace('-', " ");
    let peer = office.trust_peer(&ctx(), &carried, &heard, PeerKind::ProgramSite).unwrap();
    assert_eq!((peer.name.as_str(), peer.fingerprint.as_str()), ("Riverside Jail", card.fingerprint.as_str()));
    assert!(office.trust_peer(&ctx(), &carried, &heard, PeerKind::ProgramSite).unwrap_err().to_string().contains("already trusted"));
    let own = office.site_card(&ctx()).unwrap();
    assert!(office.trust_peer(&ctx(), &own, &own.fingerprint, PeerKind::ProgramSite).unwrap_err().to_string().contains("own card"));
    let trail = office.audit_page(&Default::default(), 0, 5).unwrap().entries;
    assert!(trail.iter().any(|e| e.table.as_deref() == Some("peers") && e.detail.contains(&card.fingerprint)));
}

#[test]
fn only_an_administrator_gives_trust() {
    let (mut s, ctx, _) = crate::fixture::store();
    let account = bridger::store::NewAccount {
        username: "cora".into(),
        display_name: "Cora Coordinator".into(),
        password: "temporary password".into(),
        roles: vec![bridger::auth::Role::Coordinator],
        scope: bridger::auth::Scope::All,
    };
    s.create_account(&ctx, &account).unwrap();
    s.act_as("cora").unwrap();
    s.change_password(&ctx, "temporary password", "her own pass phrase").unwrap();
    assert_eq!(s.site_card(&ctx).unwrap_err().code(), ErrorCode::Forbidden);
    let (mut other, other_ctx, _) = crate::fixture::store();
    let card = other.site_card(&other_ctx).unwrap();
    assert_eq!(s.trust_peer(&ctx, &card, &card.fingerprint, PeerKind::ProgramSite).unwrap_err().code(), ErrorCode::Forbidden);
    assert!(s.peers().unwrap().is_empty(), "a coordinator may list the trusted sites, to export to them");
}
