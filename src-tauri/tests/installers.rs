//! What `make package` builds from. Building the installers takes minutes, so every test run
//! checks their configuration instead: parsed as Tauri's own configuration type (which refuses
//! an unknown key), it must make a .deb and an AppImage here and the Windows installers there,
//! offline, with the app's name, version and icons.

use std::path::Path;
use tauri_utils::config::{BundleTarget, BundleType, Config, WebviewInstallMode};

fn config() -> Config {
    serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json is a Tauri configuration")
}

#[test]
fn the_installers_carry_the_apps_name_version_and_icons() {
    let c = config();
    assert_eq!(c.product_name.as_deref(), Some("Bridger"));
    assert_eq!(c.version.as_deref(), Some(env!("CARGO_PKG_VERSION")), "the installers' version is the crate's");
    assert!(c.bundle.active);
    let BundleTarget::List(targets) = &c.bundle.targets else { panic!("the targets are named one by one") };
    for wanted in [BundleType::Deb, BundleType::AppImage, BundleType::Nsis, BundleType::Msi] {
        assert!(targets.contains(&wanted), "{wanted:?} is not built");
    }
    assert!(c.bundle.short_description.is_some() && c.bundle.long_description.is_some(), "the package managers show a description");
    assert_eq!(c.bundle.category.as_deref(), Some("Business"), "the desktop menu lists it under Office");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for icon in &c.bundle.icon {
        assert!(here.join(icon).is_file(), "icon {icon} is missing");
    }
    assert!(c.bundle.icon.iter().any(|i| i.ends_with(".ico")), "Windows installers need an .ico");
    assert!(c.bundle.icon.iter().any(|i| i.ends_with("128x128.png")), "desktop menus want a 128-pixel icon");
}

#[test]
fn the_deb_brings_the_command_line_tool_and_asks_only_for_what_a_desktop_has() {
    let deb = config().bundle.linux.deb;
    let tool = deb.files.get(Path::new("/usr/bin/bridger")).expect("the bridger tool is installed beside the app");
    assert_eq!(tool, Path::new("../target/release/bridger"), "the tool `make package` builds optimized");
    // Tauri adds libwebkit2gtk-4.1-0 and libgtk-3-0 itself, which GNOME's help viewer already
    // brings to a stock Debian or Ubuntu desktop; nothing more may be asked for.
    assert_eq!(deb.depends, None, "a dependency a stock desktop lacks cannot be installed offline");
}

#[test]
fn the_windows_installers_install_offline() {
    let windows = config().bundle.windows;
    assert!(
        matches!(windows.webview_install_mode, WebviewInstallMode::OfflineInstaller { .. }),
        "the WebView2 runtime must be embedded, not downloaded: {:?}",
        windows.webview_install_mode
    );
    assert!(windows.wix.and_then(|w| w.upgrade_code).is_some(), "a fixed upgrade code lets a new MSI replace the old one");
    assert!(windows.nsis.is_some_and(|n| n.languages.is_some_and(|l| l.contains(&"Spanish".to_string()))), "the installer speaks Spanish too");
}
