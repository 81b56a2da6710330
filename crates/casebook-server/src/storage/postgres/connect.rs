//! Opening the pool and migrating the schema. Instances starting together migrate once: the
//! migration runs under an advisory lock, and a schema newer than this build is refused.

use anyhow::{Context, bail};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};
use std::time::Duration;

use crate::bridge::Bridge;

/// The PostgreSQL migrations, in order: (file name, SQL). Append-only, like migrations/server.
pub const MIGRATIONS: &[(&str, &str)] =
    &[("0001_schema.sql", include_str!("../../../../../migrations/server-postgres/0001_schema.sql"))];

/// Connections per instance: enough for the handlers' worker threads and the sweeper.
const POOL_SIZE: usize = 16;

/// Any key, fixed: every instance takes the same one while it migrates.
const MIGRATION_LOCK: i64 = 0x6361_7365_626f_6f6b;

pub fn pool(url: &str, bridge: &Bridge) -> anyhow::Result<Pool> {
    // The parser's errors can quote the URL, password included: say only what was wrong.
    let config: tokio_postgres::Config = url.parse().map_err(|_| {
        anyhow::anyhow!("--database is not a valid PostgreSQL URL (postgres://user:password@host:port/database)")
    })?;
    if config.get_hosts().is_empty() {
        bail!("--database names no host");
    }
    let manager =
        Manager::from_config(config, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    // Bounded waits, so a database that went away answers 503 instead of hanging requests.
    let timeouts = Timeouts {
        wait: Some(Duration::from_secs(10)),
        create: Some(Duration::from_secs(5)),
        recycle: Some(Duration::from_secs(5)),
    };
    let pool = bridge.block(async {
        Pool::builder(manager).max_size(POOL_SIZE).timeouts(timeouts).runtime(Runtime::Tokio1).build()
    })?;
    Ok(pool)
}

pub async fn migrate(pool: &Pool) -> anyhow::Result<()> {
    let mut client = pool.get().await.map_err(|e| anyhow::anyhow!("connecting to PostgreSQL: {e}"))?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)").await?;
    let found: i64 = match tx.query_opt("SELECT version FROM schema_version", &[]).await? {
        Some(row) => row.get(0),
        None => {
            tx.execute("INSERT INTO schema_version(version) VALUES (0)", &[]).await?;
            0
        }
    };
    let latest = MIGRATIONS.len() as i64;
    if found > latest {
        bail!("the database has schema {found}, newer than this build's {latest}");
    }
    for (name, sql) in MIGRATIONS.iter().skip(found as usize) {
        tx.batch_execute(sql).await.with_context(|| format!("applying {name}"))?;
    }
    tx.execute("UPDATE schema_version SET version = $1", &[&latest]).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_migration_file_is_embedded_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/server-postgres");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations/server-postgres")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<&str> = super::MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, embedded);
    }
}
