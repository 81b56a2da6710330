//! Handlers: parse, call storage, map the error. No SQL and no crypto here.

pub mod directory;
pub mod enroll;
pub mod health;
