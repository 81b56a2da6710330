//! PostgreSQL metadata, for several stateless instances against one database. Every invariant
//! the SQLite code holds with its single connection is held here by the database itself: row
//! locks (`SELECT ... FOR UPDATE`) and transaction-scoped advisory locks, never a lock in this
//! process, so two instances racing for one token, one upload or one case serialise in
//! PostgreSQL.
//!
//! The traits are synchronous (handlers call them inline, as they call SQLite), so the async
//! client runs on a small runtime of its own and each call blocks on it; see [`Bridge`].

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use casebook_bundle::PublicIdentity;
use casebook_protocol::types::{Device, Directory, Enrolled, Person};
use deadpool_postgres::{Pool, Transaction};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{DeviceRecord, PersonSummary, Storage};
use crate::bridge::Bridge;
use crate::{
    AppError,
    role::{self, Role},
};

mod connect;
mod reviews;

pub struct PgStorage {
    pool: Pool,
    bridge: Bridge,
}

/// Runs `$body` in one READ COMMITTED transaction on a pooled connection (bound to `$tx`),
/// committing when it returns Ok and rolling back otherwise. Statements that must see one
/// consistent state take their row or advisory locks first.
macro_rules! in_transaction {
    ($storage:expr, |$tx:ident| $body:block) => {
        $storage.bridge.block(async {
            let mut client = $storage.pool.get().await?;
            let $tx = client.transaction().await?;
            let out: Result<_, AppError> = async {
                let $tx = &$tx;
                $body
            }
            .await;
            let out = out?;
            $tx.commit().await?;
            Ok::<_, AppError>(out)
        })
    };
}
pub(crate) use in_transaction;

impl PgStorage {
    /// Connects to `url` (`postgres://user:password@host:port/db`), creating and migrating the
    /// schema if needed; a schema newer than this build is refused. The password never reaches
    /// a log or an error message.
    pub fn connect(url: &str) -> anyhow::Result<PgStorage> {
        let bridge = Bridge::new()?;
        let pool = connect::pool(url, &bridge)?;
        bridge.block(connect::migrate(&pool))?;
        Ok(PgStorage { pool, bridge })
    }
}

/// The advisory lock key for `scope` and `name` (a case, a person's uploads): held until the
/// transaction ends, in every instance at once.
pub(crate) async fn lock(tx: &Transaction<'_>, scope: &str, name: &str) -> Result<(), AppError> {
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &[&format!("{scope}:{name}")]).await?;
    Ok(())
}

pub(crate) async fn audit(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    target: &str,
    now: i64,
) -> Result<(), AppError> {
    tx.execute(
        "INSERT INTO audit(at, actor, action, target) VALUES ($1, $2, $3, $4)",
        &[&now, &actor, &action, &target],
    )
    .await?;
    Ok(())
}

impl Storage for PgStorage {
    fn create_user(&self, name: &str, roles: &[Role], now: i64) -> Result<(), AppError> {
        let name = name.trim().to_string();
        if name.is_empty() || roles.is_empty() {
            return Err(AppError::BadRequest("a person needs a name and at least one role".into()));
        }
        let roles = role::join(roles);
        in_transaction!(self, |tx| {
            let inserted = tx
                .execute(
                    "INSERT INTO users(name, roles, created_at) VALUES ($1, $2, $3) ON CONFLICT(name) DO NOTHING",
                    &[&name, &roles, &now],
                )
                .await?;
            if inserted == 0 {
                return Err(AppError::Conflict(format!("{name} already exists")));
            }
            audit(tx, "admin", "user.create", &name, now).await
        })
    }

    fn issue_token(&self, user: &str, ttl_secs: i64, now: i64) -> Result<String, AppError> {
        let user = user.trim().to_string();
        let mut id = [0u8; 9];
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut id);
        rand::thread_rng().fill_bytes(&mut secret);
        // The id is hex: base64url's alphabet contains `_`, the token's separator.
        let (id, secret) = (hex::encode(id), B64.encode(secret));
        let secret_hash = Sha256::digest(secret.as_bytes()).to_vec();
        let token_id = id.clone();
        in_transaction!(self, |tx| {
            let revoked = tx.query_opt("SELECT revoked FROM users WHERE name = $1 FOR SHARE", &[&user]).await?;
            match revoked.map(|r| r.get::<_, bool>(0)) {
                None => return Err(AppError::NotFound { what: "person" }),
                Some(true) => return Err(AppError::Conflict(format!("{user} is revoked"))),
                Some(false) => {}
            }
            tx.execute(
                "INSERT INTO enroll_tokens(id, username, secret_sha256, expires_at) VALUES ($1, $2, $3, $4)",
                &[&token_id, &user, &secret_hash, &(now + ttl_secs)],
            )
            .await?;
            audit(tx, "admin", "token.issue", &user, now).await
        })?;
        Ok(format!("cbt_{id}_{secret}"))
    }

    fn revoke_user(&self, name: &str, now: i64) -> Result<(), AppError> {
        let name = name.trim().to_string();
        in_transaction!(self, |tx| {
            if tx.execute("UPDATE users SET revoked = TRUE WHERE name = $1", &[&name]).await? == 0 {
                return Err(AppError::NotFound { what: "person" });
            }
            audit(tx, "admin", "user.revoke", &name, now).await
        })
    }

    fn revoke_device(&self, fingerprint: &str, now: i64) -> Result<(), AppError> {
        in_transaction!(self, |tx| {
            if tx.execute("UPDATE devices SET revoked = TRUE WHERE fingerprint = $1", &[&fingerprint]).await? == 0 {
                return Err(AppError::NotFound { what: "device" });
            }
            audit(tx, "admin", "device.revoke", fingerprint, now).await
        })
    }

    fn enroll(
        &self,
        token: &str,
        device_name: &str,
        identity: &PublicIdentity,
        proof: &[u8],
        now: i64,
    ) -> Result<Enrolled, AppError> {
        let (id, secret) = token
            .strip_prefix("cbt_")
            .and_then(|t| t.split_once('_'))
            .ok_or(AppError::Unauthorized("malformed enrolment token"))?;
        identity.verifying_key().map_err(|e| AppError::BadRequest(e.to_string()))?;
        identity.age_recipient().map_err(|e| AppError::BadRequest(e.to_string()))?;
        if !identity.verifies(casebook_protocol::signing::ENROLL_DOMAIN, token.as_bytes(), proof) {
            return Err(AppError::Unauthorized("the device did not prove it holds its key"));
        }
        if device_name.chars().count() > 100 || identity.name.chars().count() > 200 {
            return Err(AppError::BadRequest("names are limited to 100 (device) and 200 (identity) characters".into()));
        }
        let device_name = device_name.trim();
        if device_name.is_empty() {
            return Err(AppError::BadRequest("name the device".into()));
        }
        let secret_hash = Sha256::digest(secret.as_bytes()).to_vec();
        in_transaction!(self, |tx| {
            let refused = || AppError::Unauthorized("the enrolment token is invalid, used or expired");
            // The row lock makes two instances spending one token take turns: the second
            // sees `used_at` set by the first and is refused.
            let row = tx
                .query_opt(
                    "SELECT username, secret_sha256, expires_at, used_at FROM enroll_tokens WHERE id = $1 FOR UPDATE",
                    &[&id],
                )
                .await?
                .ok_or_else(refused)?;
            let (user, stored, expires_at, used_at): (String, Vec<u8>, i64, Option<i64>) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let matches: bool = secret_hash.as_slice().ct_eq(&stored).into();
            if !matches || used_at.is_some() || expires_at < now {
                return Err(refused());
            }
            let person = tx.query_one("SELECT roles, revoked FROM users WHERE name = $1", &[&user]).await?;
            let (roles, revoked): (String, bool) = (person.get(0), person.get(1));
            if revoked {
                return Err(refused());
            }
            let fingerprint = identity.fingerprint();
            let inserted = tx
                    .execute(
                        "INSERT INTO devices(fingerprint, username, name, identity_name, signing_key, recipient, enrolled_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(fingerprint) DO NOTHING",
                        &[
                            &fingerprint,
                            &user,
                            &device_name,
                            &identity.name,
                            &identity.signing_key,
                            &identity.recipient,
                            &now,
                        ],
                    )
                    .await?;
            if inserted == 0 {
                return Err(AppError::Conflict("this device is already enrolled".into()));
            }
            tx.execute("UPDATE enroll_tokens SET used_at = $2 WHERE id = $1", &[&id, &now]).await?;
            audit(tx, &user, "device.enroll", &fingerprint, now).await?;
            Ok(Enrolled {
                user,
                roles: role::parse_list(&roles).iter().map(|r| r.to_string()).collect(),
                device_fingerprint: fingerprint,
            })
        })
    }

    fn device(&self, fingerprint: &str) -> Result<Option<DeviceRecord>, AppError> {
        self.bridge.block(async {
            let client = self.pool.get().await?;
            let row = client
                .query_opt(
                    "SELECT d.username, u.roles, d.identity_name, d.signing_key, d.recipient, d.revoked OR u.revoked
                     FROM devices d JOIN users u ON u.name = d.username WHERE d.fingerprint = $1",
                    &[&fingerprint],
                )
                .await?;
            Ok(row.map(|r| DeviceRecord {
                user: r.get(0),
                roles: role::parse_list(&r.get::<_, String>(1)),
                identity: PublicIdentity { name: r.get(2), signing_key: r.get(3), recipient: r.get(4) },
                revoked: r.get(5),
            }))
        })
    }

    fn remember_signature(&self, signature: &[u8], expires_at: i64, now: i64) -> Result<bool, AppError> {
        self.bridge.block(async {
            let client = self.pool.get().await?;
            // The primary key decides between instances: one insert wins, a replay inserts nothing.
            let inserted = client
                .execute(
                    "INSERT INTO seen_signatures(signature, expires_at) VALUES ($1, $2) ON CONFLICT(signature) DO NOTHING",
                    &[&signature, &expires_at],
                )
                .await?;
            // Forgetting expired signatures is housekeeping: one request in 64 does it.
            if rand::random::<u8>() < 4 {
                client.execute("DELETE FROM seen_signatures WHERE expires_at < $1", &[&now]).await?;
            }
            Ok(inserted == 1)
        })
    }

    fn directory(&self) -> Result<Directory, AppError> {
        self.bridge.block(async {
            let client = self.pool.get().await?;
            let people = client.query("SELECT name, roles, revoked FROM users ORDER BY name", &[]).await?;
            let devices = client
                .query(
                    "SELECT username, name, fingerprint, identity_name, signing_key, recipient, revoked
                     FROM devices ORDER BY enrolled_at, fingerprint",
                    &[],
                )
                .await?;
            let mut out = Vec::with_capacity(people.len());
            for person in people {
                let name: String = person.get(0);
                let devices = devices
                    .iter()
                    .filter(|d| d.get::<_, &str>(0) == name)
                    .map(|d| Device {
                        name: d.get(1),
                        fingerprint: d.get(2),
                        identity: PublicIdentity { name: d.get(3), signing_key: d.get(4), recipient: d.get(5) },
                        revoked: d.get(6),
                    })
                    .collect();
                out.push(Person {
                    roles: role::parse_list(&person.get::<_, String>(1)).iter().map(|r| r.to_string()).collect(),
                    name,
                    revoked: person.get(2),
                    devices,
                });
            }
            Ok(Directory { people: out })
        })
    }

    fn list(&self) -> Result<Vec<PersonSummary>, AppError> {
        self.bridge.block(async {
            let client = self.pool.get().await?;
            let rows = client
                .query(
                    "SELECT u.name, u.roles, u.revoked, (SELECT count(*) FROM devices d WHERE d.username = u.name)
                     FROM users u ORDER BY u.name",
                    &[],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| PersonSummary {
                    name: r.get(0),
                    roles: role::parse_list(&r.get::<_, String>(1)),
                    revoked: r.get(2),
                    devices: r.get::<_, i64>(3) as usize,
                })
                .collect())
        })
    }
}
