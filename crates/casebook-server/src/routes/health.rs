use axum::Json;
use casebook_protocol::types::Health;

pub async fn get() -> Json<Health> {
    Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}
