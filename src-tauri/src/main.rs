// No console window beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    casebook_desktop::renderer::avoid_software_dmabuf();
    casebook_desktop::run_app(tauri::Builder::default());
}
