use anyhow::Result;

use super::Context;

pub fn run(ctx: &Context, query: &str, case: Option<&str>, limit: usize) -> Result<()> {
    let vault = ctx.unlock()?;
    let hits = vault.store().search(query, case, limit)?;
    ctx.out.emit(&hits, || {
        hits.iter()
            .map(|h| {
                format!("{:<13} {:<9} {}  {}", h.case_reference, h.entity, h.entity_id, h.snippet.replace('\n', " "))
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
