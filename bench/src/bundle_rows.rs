//! The bundle group's rows: wall time against `age` with a ratio target, and peak memory with
//! the CLI's unlock floor shown beside it.

use crate::{
    args::Files,
    peak::Measured,
    report::{Row, Verdict, duration, mib},
};

/// What sealing or opening may add above the unlock floor (issue 10): streaming, not holding
/// the case. The floor itself is the vault's Argon2id working memory.
const ABOVE_FLOOR_BUDGET_KIB: u64 = 16 * 1024;

/// `target`: the highest ratio ours ÷ anchor that meets it; `None` for an informational row.
pub fn time_row(name: &str, (ours, anchor): &(Measured, Measured), files: Files, target: Option<f64>) -> Row {
    let rate = |m: &Measured| files.total() as f64 / (1 << 20) as f64 / m.elapsed.as_secs_f64().max(1e-9);
    let ratio = ours.elapsed.as_secs_f64() / anchor.elapsed.as_secs_f64().max(1e-9);
    Row {
        benchmark: format!("{name}: wall time"),
        anchor: format!("{} ({:.0} MiB/s)", duration(anchor.elapsed), rate(anchor)),
        ours: format!("{} ({:.0} MiB/s)", duration(ours.elapsed), rate(ours)),
        ratio,
        target: target.map_or_else(|| "none".into(), |t| format!("<= {t:.1}x")),
        verdict: target.map_or(Verdict::Info, |t| Verdict::from_bool(ratio <= t)),
    }
}

/// Ours shows the peak and, beside it, how far it is above the unlock floor `floor_kib`.
pub fn memory_row(name: &str, (ours, anchor): &(Measured, Measured), floor_kib: u64) -> Row {
    Row {
        benchmark: format!("{name}: peak RSS (VmHWM)"),
        anchor: mib(anchor.peak_kib),
        ours: format!(
            "{} (unlock floor {} + {})",
            mib(ours.peak_kib),
            mib(floor_kib),
            mib(ours.peak_kib.saturating_sub(floor_kib))
        ),
        ratio: ours.peak_kib as f64 / anchor.peak_kib.max(1) as f64,
        target: "<= 16 MiB above the floor".into(),
        verdict: Verdict::from_bool(ours.peak_kib.saturating_sub(floor_kib) <= ABOVE_FLOOR_BUDGET_KIB),
    }
}
