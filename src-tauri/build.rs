// Declaring the app's commands here makes Tauri generate one permission per command, so the
// capability file lists exactly what the window may call.
fn main() {
    let commands = &[
        "app_info",
        "setup_site",
        "facilities_list",
        "facility_create",
        "location_add",
        "roster_page",
        "roster_search",
        "participant_get",
        "participant_enroll",
        "participant_update",
        "participant_set_status",
        "participant_delete",
    ];
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)))
        .expect("the Tauri build script failed");
}
