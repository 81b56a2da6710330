//! The report as one self-contained HTML file: no script, no remote resource (its own
//! Content-Security-Policy says so), the chart as inline SVG. Every value from the vault is
//! escaped.

use super::layout::{Block, Chart, Table};

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1f2b;max-width:1000px;margin:32px auto;padding:0 24px}
h1{font-size:24px;margin:0}h1+p{margin:4px 0 24px;font-size:17px;color:#39425a}
h2{font-size:18px;border-bottom:2px solid #1f4e89;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:12.5px}
th{background:#eef1f6;text-align:left}th,td{border:1px solid #d5dae3;padding:4px 6px;vertical-align:top}
td.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:11px;word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{color:#5a6478}dd{margin:0}
.caption{color:#5a6478;font-size:12.5px}p{white-space:pre-wrap}
svg{width:100%;height:auto;border:1px solid #d5dae3}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}";

pub(crate) fn render(blocks: &[Block], lang: &str, title: &str) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str("<meta name=\"generator\" content=\"Casebook\">\n<title>");
    out.push_str(&escape(title));
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    for block in blocks {
        match block {
            Block::Title { title, subtitle } => {
                out.push_str(&format!("<h1>{}</h1>\n<p>{}</p>\n", escape(title), escape(subtitle)));
            }
            Block::Heading(text) => out.push_str(&format!("<h2>{}</h2>\n", escape(text))),
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Caption(text) => out.push_str(&format!("<p class=\"caption\">{}</p>\n", escape(text))),
            Block::Fields(fields) => {
                out.push_str("<dl>\n");
                for (label, value) in fields {
                    out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(label), escape(value)));
                }
                out.push_str("</dl>\n");
            }
            Block::Table(table) => table_html(&mut out, table),
            Block::Chart(chart) => chart_svg(&mut out, chart),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn table_html(out: &mut String, table: &Table) {
    out.push_str("<table>\n<thead><tr>");
    for column in &table.columns {
        out.push_str(&format!("<th style=\"width:{:.0}%\">{}</th>", column.weight * 100.0, escape(&column.label)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (cell, column) in row.iter().zip(&table.columns) {
            let class = if column.mono { " class=\"mono\"" } else { "" };
            out.push_str(&format!("<td{class}>{}</td>", escape(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn chart_svg(out: &mut String, chart: &Chart) {
    let (label_w, plot_w, lane_h, axis_h) = (150.0, 800.0, 22.0, 24.0);
    let height = chart.lanes.len() as f64 * lane_h + axis_h;
    let width = label_w + plot_w + 20.0;
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n"
    ));
    for (i, lane) in chart.lanes.iter().enumerate() {
        let y = i as f64 * lane_h;
        if i % 2 == 1 {
            out.push_str(&format!("<rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{lane_h}\" fill=\"#f4f6fa\"/>"));
        }
        out.push_str(&format!(
            "<text x=\"6\" y=\"{}\" fill=\"#1a1f2b\">{}</text>\n",
            y + 15.0,
            escape(&truncate(lane, 24))
        ));
    }
    for (position, label) in &chart.ticks {
        let x = label_w + position * plot_w;
        out.push_str(&format!(
            "<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{}\" stroke=\"#d5dae3\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"#5a6478\">{}</text>\n",
            height - axis_h,
            height - 8.0,
            escape(label)
        ));
    }
    for &(lane, position) in &chart.marks {
        let x = label_w + position * plot_w;
        let y = lane as f64 * lane_h + lane_h / 2.0;
        out.push_str(&format!("<circle cx=\"{x:.1}\" cy=\"{y}\" r=\"3.5\" fill=\"#1f4e89\" fill-opacity=\"0.75\"/>"));
    }
    out.push_str("\n</svg>\n");
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { text.chars().take(max - 1).chain(['…']).collect() }
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_from_the_vault_are_escaped() {
        let blocks = vec![Block::Paragraph("<script>alert(1)</script> & \"x\"".into())];
        let html = render(&blocks, "en", "T<1>");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(html.contains("<title>T&lt;1&gt;</title>"));
        assert!(html.contains("default-src 'none'"));
    }
}
