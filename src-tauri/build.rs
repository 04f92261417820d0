// Declaring the app's commands here makes Tauri generate one permission per command, so the
// capability file lists exactly what the window may call.
fn main() {
    let commands = &[
        "app_info",
        "setup_site",
        "sign_in",
        "unlock",
        "lock",
        "sign_out",
        "change_password",
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
        "accounts_list",
        "account_create",
        "account_update",
        "account_deactivate",
        "account_reset_password",
        "settings_set",
        "backup_now",
        "backups_list",
        "audit_page",
        "audit_verify",
        "audit_export",
    ];
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)))
        .expect("the Tauri build script failed");
}
