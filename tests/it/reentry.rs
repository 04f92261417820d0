//! Reentry plans: the pipeline's windows and progress, the template, appointments before
//! release, consents, and the overdose-risk flag after release.

use crate::fixture::{ctx, person, site_on_disk, store, today};
use bridger::store::PeerKind;
use bridger::model::{AppointmentInput, Area, ConsentInput, ItemStatus, ParticipantInput, PlanDetailsInput, PlanItemInput, ReferralInput, ReferralStatus, ResourceInput, StatusChange, Window};
use bridger::{Store, WriteCtx};
use chrono::Duration;

fn enrol_releasing(s: &mut Store, c: &WriteCtx, f: &bridger::model::Facility, name: &str, number: &str, days: i64) -> bridger::model::ParticipantId {
    let release = (today() + Duration::days(days)).to_string();
    let admission = (today() - Duration::days(200)).to_string();
    s.enroll(c, &ParticipantInput { release_date: release, admission_date: admission, ..person(f, name, number) }).unwrap().id
}

fn clinic(s: &mut Store, c: &WriteCtx) -> uuid::Uuid {
    let input = ResourceInput { name: "Eastside Recovery Clinic".into(), kind: "treatment_provider".into(), phone: "555-0142".into(), offers: "buprenorphine, methadone referrals".into(), ..Default::default() };
    s.save_resource(c, None, &input, None).unwrap().id
}

#[test]
fn the_pipeline_counts_down_in_windows_with_what_is_missing() {
    let (mut s, c, f) = store();
    let far = enrol_releasing(&mut s, &c, &f, "ADAMS, Lee", "A-1", 120);
    let ninety = enrol_releasing(&mut s, &c, &f, "BROWN, Kim", "A-2", 60);
    let week = enrol_releasing(&mut s, &c, &f, "CRUZ, Ana", "A-3", 5);
    let rows = s.release_pipeline(today()).unwrap();
    let windows: Vec<(_, Window)> = rows.iter().map(|r| (r.participant_id, r.window)).collect();
    assert_eq!(windows, [(week, Window::Days7), (ninety, Window::Days90)], "more than 90 days out is not listed yet");
    assert_eq!(s.plan(&c, far).unwrap().window, Some(Window::Later));
    // Not started: the template's items due by now are what is missing.
    let ninety_row = rows.iter().find(|r| r.participant_id == ninety).unwrap();
    assert!(!ninety_row.started);
    assert_eq!(ninety_row.missing, ["Medicaid application or reinstatement"]);

    let plan = s.start_plan(&c, ninety).unwrap();
    let medicaid = plan.items.iter().find(|i| i.item.area == Area::HealthCoverage && i.item.due_days == 90).unwrap().clone();
    let done = PlanItemInput { area: "health_coverage".into(), title: medicaid.item.title.clone(), due_days: 90, status: "done".into(), ..Default::default() };
    let plan = s.save_plan_item(&c, ninety, Some(medicaid.id), &done).unwrap();
    assert!(plan.missing.is_empty(), "{:?}", plan.missing);
    assert_eq!((plan.progress.settled, plan.progress.total), (1, plan.items.len() as u32));
    assert_eq!(plan.items.iter().find(|i| i.id == medicaid.id).unwrap().item.status, ItemStatus::Done);
}

#[test]
fn starting_a_plan_twice_or_at_two_sites_gives_one_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = site_on_disk(&dir, "A", 1);
    let (mut b, _) = site_on_disk(&dir, "B", 2);
    let (ca, cb) = (a.site_card(&ctx()).unwrap(), b.site_card(&ctx()).unwrap());
    a.trust_peer(&ctx(), &cb, &cb.fingerprint, PeerKind::ProgramSite).unwrap();
    b.trust_peer(&ctx(), &ca, &ca.fingerprint, PeerKind::ProgramSite).unwrap();
    let f = a.facilities().unwrap().remove(0);
    let p = enrol_releasing(&mut a, &ctx(), &f, "DIAZ, Rosa", "B-7", 40);
    let path = dir.path().join("a.bundle");
    a.export_bundle(&ctx(), b.site().unwrap().site_id, false, &path).unwrap();
    b.import_bundle(&ctx(), &path, None).unwrap();
    let first = a.start_plan(&ctx(), p).unwrap();
    assert_eq!(a.start_plan(&ctx(), p).unwrap().items, first.items);
    b.start_plan(&ctx(), p).unwrap();
    let path = dir.path().join("b.bundle");
    b.export_bundle(&ctx(), a.site().unwrap().site_id, false, &path).unwrap();
    let summary = a.import_bundle(&ctx(), &path, None).unwrap();
    assert_eq!(summary.conflicts, 0);
    assert_eq!(a.plan(&ctx(), p).unwrap().items.len(), first.items.len());
}

#[test]
fn a_changed_template_shapes_new_plans_and_leaves_started_ones() {
    let (mut s, c, f) = store();
    let started = enrol_releasing(&mut s, &c, &f, "EVANS, Jo", "C-1", 40);
    let before = s.start_plan(&c, started).unwrap().items.len();
    let item = PlanItemInput { area: "housing".into(), title: "Recovery residence bed held".into(), due_days: 14, ..Default::default() };
    let template = s.save_template_item(&c, None, &item).unwrap();
    assert!(template.iter().any(|t| t.title == "Recovery residence bed held"));
    let phone = template.iter().find(|t| t.area == Area::Phone).unwrap().id;
    s.remove_template_item(&c, phone).unwrap();
    let fresh = enrol_releasing(&mut s, &c, &f, "FOX, Sam", "C-2", 40);
    let plan = s.start_plan(&c, fresh).unwrap();
    assert!(plan.items.iter().any(|i| i.item.title == "Recovery residence bed held"));
    assert!(!plan.items.iter().any(|i| i.item.area == Area::Phone));
    assert_eq!(s.plan(&c, started).unwrap().items.len(), before);
}

#[test]
fn an_appointment_before_release_without_a_reason_is_refused_and_nothing_is_saved() {
    let (mut s, c, f) = store();
    let p = enrol_releasing(&mut s, &c, &f, "GARZA, Eli", "D-1", 20);
    let clinic = clinic(&mut s, &c);
    let digest = s.content_digest().unwrap();
    let early = AppointmentInput {
        area: "moud".into(),
        resource_id: clinic.to_string(),
        provider: "Eastside Recovery Clinic".into(),
        date: (today() + Duration::days(10)).to_string(),
        time: "09:30".into(),
        ..Default::default()
    };
    let e = s.save_appointment(&c, p, None, &early).unwrap_err();
    assert_eq!(e.fields()[0].field, "before_release_reason", "{e}");
    assert_eq!(s.content_digest().unwrap(), digest);
    let bad_time = AppointmentInput { date: (today() + Duration::days(22)).to_string(), time: "9.30am".into(), ..early.clone() };
    assert_eq!(s.save_appointment(&c, p, None, &bad_time).unwrap_err().fields()[0].field, "time");
    let after = AppointmentInput { date: (today() + Duration::days(22)).to_string(), ..early };
    let plan = s.save_appointment(&c, p, None, &after).unwrap();
    assert_eq!(plan.appointments.len(), 1);
    assert_eq!(plan.appointments[0].resource_id, Some(clinic));
}

#[test]
fn the_first_two_weeks_out_are_flagged_until_a_community_appointment_is_confirmed() {
    let (mut s, c, f) = store();
    let p = enrol_releasing(&mut s, &c, &f, "HALL, Max", "E-1", 0);
    s.set_status(&c, p, &StatusChange { status: "released".into(), date: (today() - Duration::days(3)).to_string(), note: String::new() }).unwrap();
    let row = |s: &Store| s.release_pipeline(today()).unwrap().into_iter().find(|r| r.participant_id == p).unwrap();
    assert!(row(&s).high_risk);
    assert_eq!(row(&s).window, Window::FirstWeek);
    let visit = AppointmentInput { area: "moud".into(), provider: "Eastside Recovery Clinic".into(), date: today().to_string(), ..Default::default() };
    let plan = s.save_appointment(&c, p, None, &visit).unwrap();
    assert!(plan.high_risk, "an appointment not yet kept does not lift the flag");
    let id = plan.appointments[0].id;
    s.save_appointment(&c, p, Some(id), &AppointmentInput { confirmed: true, ..visit }).unwrap();
    assert!(!row(&s).high_risk);
}

#[test]
fn a_consent_is_recorded_with_its_terms_and_can_be_revoked() {
    let (mut s, c, f) = store();
    let p = enrol_releasing(&mut s, &c, &f, "IBARRA, Noe", "F-1", 30);
    let clinic = clinic(&mut s, &c);
    let input = ConsentInput {
        resource_id: clinic.to_string(),
        information: vec!["moud".into(), "appointments".into()],
        purpose: "continuity of medication after release".into(),
        signed_on: today().to_string(),
        expires_on: "2027-06-01".into(),
    };
    let digest = s.content_digest().unwrap();
    let e = s.add_consent(&c, p, &input).unwrap_err();
    assert!(e.fields()[0].message.contains("\"appointments\""), "{e}");
    assert_eq!(s.content_digest().unwrap(), digest);
    let plan = s.add_consent(&c, p, &ConsentInput { information: vec!["moud".into(), "housing".into()], ..input }).unwrap();
    let consent = &plan.consents[0];
    assert!(consent.active);
    assert_eq!(consent.terms.information, [Area::Moud, Area::Housing]);
    assert_eq!(consent.resource_name, "Eastside Recovery Clinic");
    assert!(s.revoke_consent(&c, p, consent.id, today() + Duration::days(1)).is_err());
    let plan = s.revoke_consent(&c, p, consent.id, today()).unwrap();
    assert!(!plan.consents[0].active);
    assert_eq!(plan.consents[0].terms.revoked_on, Some(today()));
}

#[test]
fn the_directory_is_searched_by_name_kind_or_offer() {
    let (mut s, c, _) = store();
    clinic(&mut s, &c);
    let house = ResourceInput { name: "Hope House".into(), kind: "recovery_residence".into(), offers: "beds for men, MOUD welcome".into(), ..Default::default() };
    s.save_resource(&c, None, &house, None).unwrap();
    let names = |q: &str, s: &Store| s.resources(q).unwrap().into_iter().map(|r| r.name).collect::<Vec<_>>();
    assert_eq!(names("", &s), ["Eastside Recovery Clinic", "Hope House"]);
    assert_eq!(names("residence", &s), ["Hope House"]);
    assert_eq!(names("methadone", &s), ["Eastside Recovery Clinic"]);
    let e = s.save_resource(&c, None, &ResourceInput { name: " ".into(), kind: "bakery".into(), ..Default::default() }, None).unwrap_err();
    assert_eq!(e.fields().iter().map(|f| f.field).collect::<Vec<_>>(), ["name", "kind"]);
}

#[test]
fn the_plan_names_the_community_peer_and_the_first_report_after_release() {
    let (mut s, c, f) = store();
    let p = enrol_releasing(&mut s, &c, &f, "JONES, Dee", "G-1", 30);
    let early = PlanDetailsInput { first_report_date: (today() + Duration::days(29)).to_string(), ..Default::default() };
    assert_eq!(s.save_plan_details(&c, p, &early).unwrap_err().fields()[0].field, "first_report_date");
    let input = PlanDetailsInput {
        community_peer: "Marcus Reed".into(),
        community_peer_phone: "555-0199".into(),
        first_report_date: (today() + Duration::days(31)).to_string(),
        first_report_place: "County Probation, 12 Main St".into(),
        ..Default::default()
    };
    let plan = s.save_plan_details(&c, p, &input).unwrap();
    assert_eq!(plan.details.community_peer.as_deref(), Some("Marcus Reed"));
    assert_eq!(plan.details.first_report_date, Some(today() + Duration::days(31)));
    let journal = s.journal_entries().unwrap().len();
    s.save_plan_details(&c, p, &input).unwrap();
    assert_eq!(s.journal_entries().unwrap().len(), journal, "saving the same details again writes nothing");
}

#[test]
fn a_referral_moves_from_sent_to_attended() {
    let (mut s, c, f) = store();
    let p = enrol_releasing(&mut s, &c, &f, "KIM, Ray", "H-1", 20);
    let clinic = clinic(&mut s, &c);
    let sent = ReferralInput { resource_id: clinic.to_string(), area: "moud".into(), status: "sent".into(), sent_on: today().to_string(), notes: String::new() };
    let future = ReferralInput { sent_on: (today() + Duration::days(1)).to_string(), ..sent.clone() };
    assert_eq!(s.save_referral(&c, p, None, &future).unwrap_err().fields()[0].field, "sent_on");
    let plan = s.save_referral(&c, p, None, &sent).unwrap();
    assert_eq!((plan.referrals[0].status, plan.referrals[0].resource_name.as_str()), (ReferralStatus::Sent, "Eastside Recovery Clinic"));
    let id = plan.referrals[0].id;
    let plan = s.save_referral(&c, p, Some(id), &ReferralInput { status: "attended".into(), ..sent }).unwrap();
    assert_eq!(plan.referrals.len(), 1);
    assert_eq!(plan.referrals[0].status, ReferralStatus::Attended);
}

#[test]
fn opening_a_plan_is_recorded_once_and_working_on_it_records_only_the_work() {
    let (mut s, c, f) = store();
    let p = enrol_releasing(&mut s, &c, &f, "LOPEZ, Eva", "H-2", 20);
    let trail = |s: &Store, action: &str| {
        let page = s.audit_page(&bridger::store::AuditFilter { participant: Some(p), ..Default::default() }, 0, 200).unwrap();
        page.entries.into_iter().filter(|e| e.action == action).count()
    };
    s.plan(&c, p).unwrap();
    assert_eq!(trail(&s, "view"), 1);
    let plan = s.start_plan(&c, p).unwrap();
    let item = plan.items[0].clone();
    let done = PlanItemInput { area: item.item.area.as_str().into(), title: item.item.title.clone(), due_days: item.item.due_days, status: "done".into(), ..Default::default() };
    s.save_plan_item(&c, p, Some(item.id), &done).unwrap();
    s.release_packet(&c, p, None).unwrap();
    assert_eq!((trail(&s, "view"), trail(&s, "print")), (1, 1), "a change or a print is recorded as itself, not again as an opening");
    s.plan(&c, p).unwrap();
    assert_eq!(trail(&s, "view"), 2, "opening the plan again is recorded again");
}

/// A plan with something in every part of the packet, for the person `name`.
fn packet_plan(s: &mut Store, c: &WriteCtx, f: &bridger::model::Facility, name: &str, number: &str, language: &str) -> bridger::model::ParticipantId {
    let input = ParticipantInput {
        language: language.into(),
        release_date: (today() + Duration::days(10)).to_string(),
        admission_date: (today() - Duration::days(200)).to_string(),
        ..person(f, name, number)
    };
    let p = s.enroll(c, &input).unwrap().id;
    let clinic = clinic(s, c);
    s.start_plan(c, p).unwrap();
    let visit = AppointmentInput {
        area: "moud".into(),
        resource_id: clinic.to_string(),
        provider: "Eastside Recovery Clinic".into(),
        address: "40 Elm Street, Riverside".into(),
        phone: "555-0142".into(),
        date: (today() + Duration::days(11)).to_string(),
        time: "09:30".into(),
        ..Default::default()
    };
    s.save_appointment(c, p, None, &visit).unwrap();
    let details = PlanDetailsInput {
        community_peer: "Marcus Reed".into(),
        community_peer_phone: "555-0199".into(),
        community_peer_resource_id: clinic.to_string(),
        first_report_date: (today() + Duration::days(12)).to_string(),
        first_report_place: "County Probation, 12 Main St".into(),
        supervision_conditions: "No contact with the victim; curfew 10 pm to 6 am".into(),
    };
    s.save_plan_details(c, p, &details).unwrap();
    p
}

/// Runs a poppler tool; the packet test needs poppler-utils (installed by `make test`).
pub(crate) fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = std::process::Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} is needed (apt package poppler-utils): {e}"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn the_release_packet_prints_in_english_and_spanish_as_pdf_pages() {
    let (mut s, c, f) = store();
    let english = packet_plan(&mut s, &c, &f, "OKAFOR, Grace", "P-1", "English");
    let spanish = packet_plan(&mut s, &c, &f, "NÚÑEZ PEÑA, José", "P-2", "Spanish");
    assert_eq!(s.release_packet_file_name(&c, spanish).unwrap(), format!("release-packet-nunez-pena-jose-{}.pdf", c.today));
    let vietnamese = packet_plan(&mut s, &c, &f, "NGUYỄN ĐẶNG, Thị Mai", "P-3", "English");
    // The pages are kept where a person can look at them after the test.
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-packets");
    std::fs::create_dir_all(&out).unwrap();
    for (who, language, expected) in [
        (english, "en", ["Your release packet", "Eastside Recovery Clinic", "Marcus Reed", "call 911", "Page 1 of"]),
        (spanish, "es", ["Su paquete de salida", "NÚÑEZ PEÑA, José", "Tarjeta de identificación del estado", "Naloxona", "Página 1 de"]),
        // Letters outside Latin-1 print as typed, on the page and in the footer, not as "?".
        (vietnamese, "vi", ["NGUYỄN ĐẶNG, Thị Mai", "Your release packet", "Eastside Recovery Clinic", "Marcus Reed", "Page 1 of"]),
    ] {
        let doc = s.release_packet(&c, who, None).unwrap();
        let pdf = out.join(format!("packet-{language}.pdf"));
        std::fs::write(&pdf, bridger::reports::render(&doc)).unwrap();
        let text = String::from_utf8(poppler("pdftotext", &[pdf.as_os_str(), "-".as_ref()]).stdout).unwrap();
        for phrase in expected {
            assert!(text.contains(phrase), "{language}: {phrase:?} not in\n{text}");
        }
        assert!(!text.contains('?'), "{language}: a letter printed as ?\n{text}");
        let prefix = out.join(format!("packet-{language}"));
        poppler("pdftoppm", &["-png".as_ref(), "-r".as_ref(), "50".as_ref(), pdf.as_os_str(), prefix.as_os_str()]);
        let pages = std::fs::read_dir(&out).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(&format!("packet-{language}-"))).count();
        assert!(pages >= 1, "{language}: no page images");
    }
    let prints = s.audit_page(&bridger::store::AuditFilter::default(), 0, 200).unwrap().entries.into_iter().filter(|e| e.action == "print").count();
    assert_eq!(prints, 3, "each packet printed is in the audit trail");
}

#[test]
fn today_shows_releases_coming_up_tasks_due_and_appointments_this_week() {
    let (mut s, c, f) = store();
    let soon = enrol_releasing(&mut s, &c, &f, "SOON, Ada", "T-1", 6);
    enrol_releasing(&mut s, &c, &f, "LATER, Bo", "T-2", 200);
    s.start_plan(&c, soon).unwrap();
    let visit = AppointmentInput { area: "moud".into(), provider: "Eastside Recovery Clinic".into(), date: (today() + Duration::days(6)).to_string(), ..Default::default() };
    let with_reason = AppointmentInput { before_release_reason: "video intake".into(), date: (today() + Duration::days(2)).to_string(), ..visit.clone() };
    s.save_appointment(&c, soon, None, &visit).unwrap();
    s.save_appointment(&c, soon, None, &with_reason).unwrap();
    let view = s.today_view(today()).unwrap();
    assert_eq!(view.releases.iter().map(|r| r.legal_name.as_str()).collect::<Vec<_>>(), ["SOON, Ada"]);
    assert_eq!(view.appointments.iter().map(|a| a.appointment.details.date).collect::<Vec<_>>(), [today() + Duration::days(2), today() + Duration::days(6)]);
    // Released in six days: the items due 7 and 30 days before are overdue; the ones due on
    // the day or after fall inside the week or later.
    let id_card = view.tasks.iter().find(|t| t.title == "State ID card").unwrap();
    assert!(id_card.overdue);
    assert_eq!(id_card.due, today() + Duration::days(6 - 30));
    assert!(view.tasks.iter().all(|t| t.due <= today() + Duration::days(7)));
    assert!(!view.tasks.iter().any(|t| t.title == "Employment or education plan"), "due a month after release, not this week");
}
