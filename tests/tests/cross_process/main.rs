//! Cross-process tests: the real `casebook` binary, real SQLCipher files, real crashes.

mod backup;
mod bad_input;
mod bundle;
mod corruption;
mod crash;
mod crash_evidence;
mod intake;
mod large_evidence;
mod mediawiki;
mod redact;
mod redact_pdf;
mod register;
mod report;
mod review;
mod sensitivity;
mod server;
mod server_fleet;
mod timestamp;
mod verify;
mod workflow;
