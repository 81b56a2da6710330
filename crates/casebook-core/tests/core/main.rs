//! casebook-core's public API, against real SQLCipher files in temp directories.

mod audit;
mod bundle;
mod cases;
mod chain;
mod chunks;
mod dmca;
mod events;
mod evidence;
mod register;
mod reports;
mod search;
mod subjects;
mod support;
mod vault;
