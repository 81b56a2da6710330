//! The timeline in the real webview: the first render of a case with 10,000 and with 100,000
//! events (open case → list rows and chart painted, timed with `performance.now()` inside the
//! page), and the chart's frame time while panning and zooming the 100,000-event case (the
//! script and raster time of each redraw, recorded by the chart itself, `ui/src/lib/perf.ts`).

use std::{path::Path, time::Duration};

use anyhow::{Context, Result};
use casebook_tests::desktop::App;
use serde_json::Value;

use crate::{
    desktop::{PASSPHRASE, vault},
    report::{Row, Verdict, duration, thousands},
};

/// Opens the only case and waits until the list shows `events` and the chart has drawn. Returns
/// the page's marks relative to the click, in ms, and the whole time.
const OPEN: &str = "const [events, done] = arguments;
  const t0 = performance.now();
  document.querySelector('[data-testid=\"case-row\"] td').click();
  const at = (name) => {
    const m = performance.getEntriesByName('casebook:' + name, 'mark');
    return m.length ? m[m.length - 1].startTime - t0 : null;
  };
  const check = () => {
    const count = document.querySelector('[data-testid=\"timeline-count\"]');
    const rows = document.querySelectorAll('[data-testid=\"event-row\"]').length;
    if (rows > 0 && count && count.dataset.total === String(events) && at('timeline:drawn') !== null) {
      requestAnimationFrame(() => done({
        total: performance.now() - t0,
        loaded: at('open:loaded'),
        drawn: at('timeline:drawn'),
      }));
    } else {
      requestAnimationFrame(check);
    }
  };
  check();";

/// Zooms in step by step from the whole case, pans across, and zooms back out, one wheel event a
/// frame, then returns the chart's draw times (ms) for those frames.
const PAN_ZOOM: &str = "const [steps, done] = arguments;
  const canvas = document.querySelector('[data-testid=\"timeline-canvas\"]');
  const r = canvas.getBoundingClientRect();
  const x = r.left + r.width * 0.6, y = r.top + 40;
  const frames = window.__casebookFrames.draws;
  const before = frames.length;
  const frame = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  (async () => {
    for (let i = 0; i < steps; i++) {
      const phase = Math.floor((i * 3) / steps);
      const wheel = phase === 1
        ? { deltaY: 80, shiftKey: true }
        : { deltaY: phase === 0 ? -90 : 90 };
      canvas.dispatchEvent(new WheelEvent('wheel', { clientX: x, clientY: y, bubbles: true, cancelable: true, ...wheel }));
      await frame();
    }
    // The frames count only if the chart was on screen throughout (not locked, not navigated).
    done({ draws: frames.slice(before), onScreen: canvas.isConnected });
  })();";

const STEPS: usize = 240;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn from_ms(ms: f64) -> Duration {
    Duration::from_secs_f64(ms.max(0.0) / 1000.0)
}

fn ms(value: &Value, key: &str) -> Option<f64> {
    value.get(key).and_then(Value::as_f64)
}

/// Launches the app on a vault of `events` events, unlocks it and opens the case: the first
/// render row, and with `pan_zoom` the frame-time rows.
async fn measure(app_bin: &Path, scratch: &Path, events: usize, target_ms: f64, pan_zoom: bool) -> Result<Vec<Row>> {
    eprintln!("[desktop] a {}-event timeline…", thousands(events as f64));
    let dir = scratch.join(format!("desktop-timeline-{events}"));
    vault(&dir, events)?;
    let tmp = tempfile::tempdir()?;
    let app = App::launch_with(app_bin, tmp, &dir, "bench-timeline").await;
    app.fill("passphrase", PASSPHRASE).await;
    app.click("unlock").await;
    app.find("case-row").await;
    let open = app
        .client
        .execute_async(OPEN, vec![Value::from(events)])
        .await
        .context("timing the timeline's first render")?;
    let total = ms(&open, "total").context("a time in milliseconds")?;
    eprintln!(
        "[desktop]   {} events: loaded over IPC at {:.0} ms, chart drawn at {:.0} ms, rows painted at {total:.0} ms",
        thousands(events as f64),
        ms(&open, "loaded").unwrap_or(f64::NAN),
        ms(&open, "drawn").unwrap_or(f64::NAN),
    );
    app.screenshot(&format!("timeline-{events}")).await;
    let mut rows = vec![Row {
        benchmark: format!(
            "desktop: first render of a {}-event timeline (open case → rows and chart painted)",
            thousands(events as f64)
        ),
        anchor: "—".into(),
        ours: duration(from_ms(total)),
        ratio: total / target_ms,
        target: format!("≤ {target_ms:.0} ms absolute"),
        verdict: Verdict::from_bool(total <= target_ms),
    }];
    if pan_zoom {
        let frames = app
            .client
            .execute_async(PAN_ZOOM, vec![Value::from(STEPS)])
            .await
            .context("panning and zooming the chart")?;
        if frames.get("onScreen") != Some(&Value::Bool(true)) {
            anyhow::bail!("the timeline left the screen while panning and zooming (locked or navigated away)");
        }
        let mut draws: Vec<f64> =
            frames["draws"].as_array().context("a list of frame times")?.iter().filter_map(Value::as_f64).collect();
        draws.sort_by(f64::total_cmp);
        let (median, p99) = (percentile(&draws, 50.0), percentile(&draws, 99.0));
        eprintln!(
            "[desktop]   pan/zoom: {} redraws for {STEPS} wheel events, max {:.1} ms",
            draws.len(),
            draws.last().copied().unwrap_or(f64::NAN)
        );
        for (what, value, target) in [("median", median, 8.0), ("p99", p99, 16.0)] {
            rows.push(Row {
                benchmark: format!(
                    "desktop: {} events, chart frame time while panning and zooming, {what}",
                    thousands(events as f64)
                ),
                anchor: "—".into(),
                ours: duration(from_ms(value)),
                ratio: value / target,
                target: format!("≤ {target:.0} ms absolute"),
                verdict: Verdict::from_bool(draws.len() >= STEPS / 2 && value <= target),
            });
        }
        app.screenshot(&format!("timeline-{events}-zoomed")).await;
    }
    app.quit().await;
    Ok(rows)
}

pub async fn rows(app_bin: &Path, scratch: &Path) -> Result<Vec<Row>> {
    let mut rows = measure(app_bin, scratch, 10_000, 200.0, false).await?;
    rows.extend(measure(app_bin, scratch, 100_000, 500.0, true).await?);
    Ok(rows)
}
