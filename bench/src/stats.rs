//! The median of repeated timings: robust against one slow outlier.

use std::time::Duration;

/// The median of `samples` (the upper middle for an even count); zero when empty.
pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}
