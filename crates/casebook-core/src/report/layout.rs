//! The report as a list of blocks, built once from the vault and drawn by both renderers
//! (`html.rs`, `pdf.rs`), so the two formats cannot say different things.

/// One piece of the report, in reading order.
pub(crate) enum Block {
    Title {
        title: String,
        subtitle: String,
    },
    Heading(String),
    Paragraph(String),
    /// A small, grey line: how to read what follows.
    Caption(String),
    /// Label–value pairs (the cover).
    Fields(Vec<(String, String)>),
    Table(Table),
    Chart(Chart),
}

pub(crate) struct Column {
    pub label: String,
    /// Share of the page's width.
    pub weight: f32,
    /// Hashes and ids: a fixed-width face, broken anywhere.
    pub mono: bool,
}

pub(crate) struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&str, f32, bool)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|&(label, weight, mono)| Column { label: label.to_string(), weight, mono })
                .collect(),
            rows: Vec::new(),
        }
    }
}

/// The timeline as marks on lanes, one lane per account.
pub(crate) struct Chart {
    pub lanes: Vec<String>,
    /// (lane, position from 0.0 at the first event to 1.0 at the last).
    pub marks: Vec<(usize, f64)>,
    /// (position, label) along the time axis.
    pub ticks: Vec<(f64, String)>,
}

/// At most this many lanes are drawn; the rest share one.
pub(crate) const MAX_LANES: usize = 12;

impl Chart {
    /// Lanes by actor in order of first appearance (the busiest twelve, the rest together),
    /// and five evenly spaced time labels.
    pub fn of(events: &[(i64, String)], others: &str, unattributed: &str) -> Option<Chart> {
        let (first, last) = (events.iter().map(|e| e.0).min()?, events.iter().map(|e| e.0).max()?);
        let mut counts: Vec<(String, usize, usize)> = Vec::new();
        for (order, (_, actor)) in events.iter().enumerate() {
            let name = if actor.is_empty() { unattributed.to_string() } else { actor.clone() };
            match counts.iter_mut().find(|c| c.0 == name) {
                Some(c) => c.1 += 1,
                None => counts.push((name, 1, order)),
            }
        }
        let mut busiest = counts.clone();
        busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let overflow = busiest.len() > MAX_LANES;
        let kept: Vec<String> =
            busiest.into_iter().take(if overflow { MAX_LANES - 1 } else { MAX_LANES }).map(|c| c.0).collect();
        let mut lanes: Vec<String> = counts.into_iter().map(|c| c.0).filter(|n| kept.contains(n)).collect();
        if overflow {
            lanes.push(others.to_string());
        }
        let span = (last - first).max(1) as f64;
        let marks = events
            .iter()
            .map(|(at, actor)| {
                let name = if actor.is_empty() { unattributed } else { actor.as_str() };
                let lane = lanes.iter().position(|l| l == name).unwrap_or(lanes.len() - 1);
                (lane, (at - first) as f64 / span)
            })
            .collect();
        let ticks = (0..5)
            .map(|i| {
                let position = f64::from(i) / 4.0;
                let at = first + ((last - first) as f64 * position) as i64;
                let label = chrono::DateTime::from_timestamp(at, 0)
                    .map(|t| t.format(if last - first > 3 * 86_400 { "%Y-%m-%d" } else { "%m-%d %H:%M" }).to_string())
                    .unwrap_or_default();
                (position, label)
            })
            .collect();
        Some(Chart { lanes, marks, ticks })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_keeps_the_busiest_lanes_and_spans_the_case() {
        let mut events: Vec<(i64, String)> = (0..20).map(|i| (i * 60, format!("quiet{i}"))).collect();
        events.extend((0..5).map(|i| (i * 100, "Busy".to_string())));
        let chart = Chart::of(&events, "others", "(none)").expect("a chart");
        assert_eq!(chart.lanes.len(), MAX_LANES);
        assert!(chart.lanes.contains(&"Busy".to_string()));
        assert_eq!(chart.lanes.last().map(String::as_str), Some("others"));
        assert_eq!(chart.marks.len(), 25);
        assert!(chart.marks.iter().all(|&(lane, x)| lane < MAX_LANES && (0.0..=1.0).contains(&x)));
        assert!(Chart::of(&[], "others", "(none)").is_none());
    }
}
