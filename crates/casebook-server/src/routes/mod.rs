//! Handlers: parse, call storage, map the error. No SQL and no crypto here.

pub mod bundles;
pub mod cases;
pub mod directory;
pub mod enroll;
pub mod health;
pub mod ids;
pub mod policies;
pub mod uploads;
