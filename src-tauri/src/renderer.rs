//! WebKitGTK's renderer on machines with no GPU. Its DMA-BUF renderer (the default since 2.42)
//! composites every frame through GL; with no render node it falls back to Mesa's software GL,
//! and one repaint of the case view then costs 80–100 ms on a two-core machine, 9 ms without it
//! (docs/benchmarks.md). So when there is no render node and the user has not chosen, the app
//! starts itself again with `WEBKIT_DISABLE_DMABUF_RENDERER=1`, WebKit's documented switch.

/// The variable WebKitGTK reads once at start-up.
#[cfg(target_os = "linux")]
const DISABLE_DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Replaces this process by itself with the DMA-BUF renderer off when it would run in software.
/// Returns (and the app starts as it is) when a GPU render node exists, when the variable is
/// already set either way, or when the re-exec fails.
#[cfg(target_os = "linux")]
pub fn avoid_software_dmabuf() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os(DISABLE_DMABUF).is_some() || has_render_node(std::path::Path::new("/dev/dri")) {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    // `exec` only returns on failure; the app then starts with WebKit's default.
    let _ = std::process::Command::new(exe).args(std::env::args_os().skip(1)).env(DISABLE_DMABUF, "1").exec();
}

#[cfg(not(target_os = "linux"))]
pub fn avoid_software_dmabuf() {}

/// Whether `dri` holds a GPU render node (`renderD128`, …).
#[cfg(target_os = "linux")]
fn has_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_is_found_only_when_present() {
        let dir = tempfile::tempdir().expect("a temp dir");
        assert!(!has_render_node(&dir.path().join("missing")));
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").expect("writing card0");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").expect("writing renderD128");
        assert!(has_render_node(dir.path()));
    }
}
