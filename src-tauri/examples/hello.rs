//! The anchor of the desktop benchmarks: a hello-world Tauri app (one window, one static page,
//! no commands) built with the same Tauri, the same profile and in the same run as Casebook.

fn main() {
    if let Err(err) = tauri::Builder::default().run(tauri::generate_context!("examples/hello/tauri.conf.json")) {
        eprintln!("hello: {err}");
        std::process::exit(1);
    }
}
