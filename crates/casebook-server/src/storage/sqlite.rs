//! The embedded default: one SQLite file in the data directory.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use casebook_bundle::PublicIdentity;
use casebook_protocol::types::{Device, Directory, Enrolled, Person};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::{path::Path, sync::Mutex};
use subtle::ConstantTimeEq;

use super::{DeviceRecord, PersonSummary, Storage};
use crate::{
    AppError,
    role::{self, Role},
};

mod reviews;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

impl SqliteStorage {
    /// Opens (creating if needed) `server.db` in `dir` and migrates it; a newer schema is refused.
    pub fn open(dir: &Path) -> anyhow::Result<SqliteStorage> {
        std::fs::create_dir_all(dir)?;
        let mut conn = Connection::open(dir.join("server.db"))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let latest = MIGRATIONS.len() as i64;
        anyhow::ensure!(found <= latest, "server.db has schema {found}, newer than this build's {latest}");
        if found < latest {
            let tx = conn.transaction()?;
            for (_, sql) in MIGRATIONS.iter().skip(found as usize) {
                tx.execute_batch(sql)?;
            }
            tx.pragma_update(None, "user_version", latest)?;
            tx.commit()?;
        }
        Ok(SqliteStorage { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, AppError> {
        self.conn.lock().map_err(|_| AppError::Internal(anyhow::anyhow!("storage lock poisoned")))
    }
}

pub(crate) fn audit(conn: &Connection, actor: &str, action: &str, target: &str, now: i64) -> Result<(), AppError> {
    conn.execute(
        "INSERT INTO audit(at, actor, action, target) VALUES (?1, ?2, ?3, ?4)",
        params![now, actor, action, target],
    )?;
    Ok(())
}

impl Storage for SqliteStorage {
    fn create_user(&self, name: &str, roles: &[Role], now: i64) -> Result<(), AppError> {
        let name = name.trim();
        if name.is_empty() || roles.is_empty() {
            return Err(AppError::BadRequest("a person needs a name and at least one role".into()));
        }
        let conn = self.lock()?;
        let inserted = conn.execute(
            "INSERT INTO users(name, roles, created_at) VALUES (?1, ?2, ?3) ON CONFLICT(name) DO NOTHING",
            params![name, role::join(roles), now],
        )?;
        if inserted == 0 {
            return Err(AppError::Conflict(format!("{name} already exists")));
        }
        audit(&conn, "admin", "user.create", name, now)
    }

    fn issue_token(&self, user: &str, ttl_secs: i64, now: i64) -> Result<String, AppError> {
        let user = user.trim();
        let conn = self.lock()?;
        let revoked: Option<bool> =
            conn.query_row("SELECT revoked FROM users WHERE name = ?1", [user], |r| r.get(0)).optional()?;
        match revoked {
            None => return Err(AppError::NotFound { what: "person" }),
            Some(true) => return Err(AppError::Conflict(format!("{user} is revoked"))),
            Some(false) => {}
        }
        let mut id = [0u8; 9];
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut id);
        rand::thread_rng().fill_bytes(&mut secret);
        // The id is hex: base64url's alphabet contains `_`, the token's separator.
        let (id, secret) = (hex::encode(id), B64.encode(secret));
        conn.execute(
            "INSERT INTO enroll_tokens(id, user, secret_sha256, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, user, Sha256::digest(secret.as_bytes()).as_slice(), now + ttl_secs],
        )?;
        audit(&conn, "admin", "token.issue", user, now)?;
        Ok(format!("cbt_{id}_{secret}"))
    }

    fn revoke_user(&self, name: &str, now: i64) -> Result<(), AppError> {
        let name = name.trim();
        let conn = self.lock()?;
        if conn.execute("UPDATE users SET revoked = 1 WHERE name = ?1", [name])? == 0 {
            return Err(AppError::NotFound { what: "person" });
        }
        audit(&conn, "admin", "user.revoke", name, now)
    }

    fn revoke_device(&self, fingerprint: &str, now: i64) -> Result<(), AppError> {
        let conn = self.lock()?;
        if conn.execute("UPDATE devices SET revoked = 1 WHERE fingerprint = ?1", [fingerprint])? == 0 {
            return Err(AppError::NotFound { what: "device" });
        }
        audit(&conn, "admin", "device.revoke", fingerprint, now)
    }

    fn enroll(
        &self,
        token: &str,
        device_name: &str,
        identity: &PublicIdentity,
        proof: &[u8],
        now: i64,
    ) -> Result<Enrolled, AppError> {
        let refused = AppError::Unauthorized("the enrolment token is invalid, used or expired");
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
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let row: Option<(String, Vec<u8>, i64, Option<i64>)> = tx
            .query_row("SELECT user, secret_sha256, expires_at, used_at FROM enroll_tokens WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((user, stored, expires_at, used_at)) = row else { return Err(refused) };
        let matches: bool = Sha256::digest(secret.as_bytes()).as_slice().ct_eq(&stored).into();
        if !matches || used_at.is_some() || expires_at < now {
            return Err(refused);
        }
        let (roles, revoked): (String, bool) =
            tx.query_row("SELECT roles, revoked FROM users WHERE name = ?1", [&user], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if revoked {
            return Err(refused);
        }
        let fingerprint = identity.fingerprint();
        let inserted = tx.execute(
            "INSERT INTO devices(fingerprint, user, name, identity_name, signing_key, recipient, enrolled_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(fingerprint) DO NOTHING",
            params![fingerprint, user, device_name, identity.name, identity.signing_key, identity.recipient, now],
        )?;
        if inserted == 0 {
            return Err(AppError::Conflict("this device is already enrolled".into()));
        }
        tx.execute("UPDATE enroll_tokens SET used_at = ?2 WHERE id = ?1", params![id, now])?;
        audit(&tx, &user, "device.enroll", &fingerprint, now)?;
        tx.commit()?;
        Ok(Enrolled {
            user,
            roles: role::parse_list(&roles).iter().map(|r| r.to_string()).collect(),
            device_fingerprint: fingerprint,
        })
    }

    fn device(&self, fingerprint: &str) -> Result<Option<DeviceRecord>, AppError> {
        let conn = self.lock()?;
        Ok(conn
            .query_row(
                "SELECT d.user, u.roles, d.identity_name, d.signing_key, d.recipient, d.revoked OR u.revoked
                 FROM devices d JOIN users u ON u.name = d.user WHERE d.fingerprint = ?1",
                [fingerprint],
                |r| {
                    Ok(DeviceRecord {
                        user: r.get(0)?,
                        roles: role::parse_list(&r.get::<_, String>(1)?),
                        identity: PublicIdentity { name: r.get(2)?, signing_key: r.get(3)?, recipient: r.get(4)? },
                        revoked: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    fn remember_signature(&self, signature: &[u8], expires_at: i64, now: i64) -> Result<bool, AppError> {
        let conn = self.lock()?;
        conn.execute("DELETE FROM seen_signatures WHERE expires_at < ?1", [now])?;
        let inserted = conn.execute(
            "INSERT INTO seen_signatures(signature, expires_at) VALUES (?1, ?2) ON CONFLICT(signature) DO NOTHING",
            params![signature, expires_at],
        )?;
        Ok(inserted == 1)
    }

    fn directory(&self) -> Result<Directory, AppError> {
        let conn = self.lock()?;
        let mut people_stmt = conn.prepare("SELECT name, roles, revoked FROM users ORDER BY name")?;
        let mut device_stmt = conn.prepare(
            "SELECT name, fingerprint, identity_name, signing_key, recipient, revoked FROM devices WHERE user = ?1 ORDER BY enrolled_at",
        )?;
        let people: Vec<(String, String, bool)> =
            people_stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(people.len());
        for (name, roles, revoked) in people {
            let devices = device_stmt
                .query_map([&name], |r| {
                    Ok(Device {
                        name: r.get(0)?,
                        fingerprint: r.get(1)?,
                        identity: PublicIdentity { name: r.get(2)?, signing_key: r.get(3)?, recipient: r.get(4)? },
                        revoked: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            out.push(Person {
                roles: role::parse_list(&roles).iter().map(|r| r.to_string()).collect(),
                name,
                revoked,
                devices,
            });
        }
        Ok(Directory { people: out })
    }

    fn list(&self) -> Result<Vec<PersonSummary>, AppError> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT u.name, u.roles, u.revoked, (SELECT count(*) FROM devices d WHERE d.user = u.name) FROM users u ORDER BY u.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PersonSummary {
                name: r.get(0)?,
                roles: role::parse_list(&r.get::<_, String>(1)?),
                revoked: r.get(2)?,
                devices: r.get::<_, i64>(3)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
