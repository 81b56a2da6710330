//! `casebook-server`: serve the review API, or administer people and devices.

use anyhow::{Context, Result, bail};
use casebook_server::{AppState, Backends, Limits, app, role::Role, storage::Storage, unix_now};
use clap::{Parser, Subcommand};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

#[derive(Parser)]
#[command(name = "casebook-server", version, about = "Casebook's central review server")]
struct Cli {
    /// The data directory: the metadata database and the bundle store.
    #[arg(long, global = true, env = "CASEBOOK_SERVER_DATA", default_value = "casebook-server-data")]
    data: PathBuf,
    /// PostgreSQL for the metadata, shared by every instance (postgres://user:password@host/db);
    /// without it, SQLite in the data directory.
    #[arg(long, global = true, env = "CASEBOOK_DATABASE_URL", hide_env_values = true, value_name = "URL")]
    database: Option<String>,
    /// An S3-compatible bucket for the bundles, shared by every instance (s3://bucket[/prefix]);
    /// the endpoint, region and keys come from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID
    /// and AWS_SECRET_ACCESS_KEY. Without it, a directory in the data directory.
    #[arg(long, global = true, env = "CASEBOOK_BLOBS", value_name = "URL")]
    blobs: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API. Plain HTTP is only allowed on loopback.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// A PEM certificate chain: serve HTTPS (required off loopback).
        #[arg(long, requires = "tls_key", value_name = "PEM")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert", value_name = "PEM")]
        tls_key: Option<PathBuf>,
        /// Distinct reviewers who must approve a case.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
        approvals: u32,
        /// The largest bundle accepted, in MiB.
        #[arg(long, default_value_t = 16 * 1024)]
        max_bundle_mib: u64,
    },
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Subcommand)]
enum Admin {
    /// Add a person with one or more roles.
    CreateUser {
        #[arg(long)]
        name: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Print a one-time enrolment token for a person (shown once, stored as a hash).
    EnrollToken {
        #[arg(long)]
        user: String,
        #[arg(long, default_value_t = 24)]
        ttl_hours: i64,
    },
    /// Revoke a person (all their devices) or one device.
    Revoke {
        #[arg(long, conflicts_with = "device", required_unless_present = "device")]
        user: Option<String>,
        #[arg(long)]
        device: Option<String>,
    },
    List,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_target(false).init();
    let cli = Cli::parse();
    let mut limits = Limits::default();
    if let Command::Serve { approvals, max_bundle_mib, .. } = &cli.command {
        limits.approvals_needed = *approvals;
        limits.max_bundle = max_bundle_mib.saturating_mul(1 << 20);
    }
    let backends = Backends { database: cli.database.clone(), blobs: cli.blobs.clone() };
    let state = AppState::open_with(&cli.data, &backends, limits).context("opening the server's storage")?;
    if matches!(cli.command, Command::Serve { .. }) {
        let sweeper = state.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                every.tick().await;
                match casebook_server::sweep_expired_uploads(&sweeper) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sessions = n, "expired upload sessions removed"),
                    Err(e) => tracing::warn!(error = %e, "sweeping expired uploads failed"),
                }
            }
        });
    }
    match cli.command {
        Command::Serve { listen, tls_cert: Some(cert), tls_key: Some(key), .. } => {
            serve_tls(state, listen, &cert, &key).await
        }
        Command::Serve { listen, .. } => serve(state, listen).await,
        Command::Admin(admin) => administer(state.storage.as_ref(), admin),
    }
}

async fn serve(state: AppState, listen: SocketAddr) -> Result<()> {
    if !listen.ip().is_loopback() {
        bail!("plain HTTP is only allowed on loopback; give --tls-cert and --tls-key to listen on {listen}");
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let stop = stop_signal()?;
    // Tests and scripts read the bound address (port 0 picks a free one) from this line.
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(state)).with_graceful_shutdown(stop).await?;
    Ok(())
}

/// HTTPS with rustls; stops accepting on SIGTERM and lets requests in flight finish.
async fn serve_tls(state: AppState, listen: SocketAddr, cert: &Path, key: &Path) -> Result<()> {
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .context("reading --tls-cert and --tls-key (PEM)")?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    let stop = stop_signal()?;
    tokio::spawn(async move {
        stop.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(30)));
    });
    let announcer = handle.clone();
    tokio::spawn(async move {
        if let Some(addr) = announcer.listening().await {
            println!("listening on https://{addr}");
        }
    });
    axum_server::bind_rustls(listen, config).handle(handle).serve(app(state).into_make_service()).await?;
    Ok(())
}

/// SIGTERM or Ctrl-C. The handler is installed when this is called, not when the future is
/// first polled, so a SIGTERM right after the "listening" line still stops the server cleanly.
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    Ok(async move {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    })
}

fn administer(storage: &dyn Storage, admin: Admin) -> Result<()> {
    let now = unix_now();
    match admin {
        Admin::CreateUser { name, roles } => {
            let roles: Vec<Role> = roles.iter().map(|r| r.parse()).collect::<Result<_, _>>()?;
            storage.create_user(&name, &roles, now)?;
            println!("created {name}");
        }
        Admin::EnrollToken { user, ttl_hours } => {
            if !(1..=24 * 30).contains(&ttl_hours) {
                bail!("--ttl-hours must be between 1 and 720");
            }
            println!("{}", storage.issue_token(&user, ttl_hours * 3600, now)?);
        }
        Admin::Revoke { user, device } => match (user, device) {
            (Some(user), _) => storage.revoke_user(&user, now)?,
            (None, Some(device)) => storage.revoke_device(&device, now)?,
            (None, None) => bail!("name --user or --device"),
        },
        Admin::List => {
            for person in storage.list()? {
                let roles: Vec<&str> = person.roles.iter().map(|r| r.as_str()).collect();
                let revoked = if person.revoked { "  REVOKED" } else { "" };
                println!("{:<24} {:<32} {} device(s){revoked}", person.name, roles.join(","), person.devices);
            }
        }
    }
    Ok(())
}
