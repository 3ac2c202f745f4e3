fn main() {
    // Only the app's own commands are exposed to the web view; capabilities/default.json
    // allows exactly these (no plugin permissions: the folder picker is opened from Rust).
    let manifest = tauri_build::AppManifest::new().commands(babelfish_desktop_commands());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}

/// Keep in step with `generate_handler!` in src/lib.rs.
fn babelfish_desktop_commands() -> &'static [&'static str] {
    &[
        "app_status",
        "search",
        "get_entry",
        "read_entry",
        "validate_entry",
        "create_entry",
        "save_entry",
        "delete_entry",
        "new_entry_id",
        "save_settings",
        "choose_glossary_folder",
        "start_glossary",
        "use_default_glossary",
        "reload_glossary",
        "set_unsaved",
        "close_window",
        "translate",
        "open_text_file",
        "save_crib_sheet",
        "pick_import_csv",
        "preview_import",
        "apply_import",
        "export_glossary",
        "sync_status",
        "sync_now",
        "sync_conflict",
        "set_auto_sync",
        "entry_history",
        "sign_off",
        "review_queue",
        "set_review_side",
        "lookup",
        "open_in_main",
        "hide_lookup",
        "take_link",
        "copy_entry_link",
        "journal",
        "record_search",
        "record_entry",
        "set_history_on",
        "clear_history",
        "set_favourite",
    ]
}
