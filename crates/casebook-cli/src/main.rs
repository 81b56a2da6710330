//! `casebook`: every core operation, headless. Errors print as one line,
//! `error[CODE]: message`, or as `{"code", "message"}` with `--json`; the exit status is non-zero.

mod args;
mod commands;
mod output;
mod passphrase;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic must not print its message: it could carry evidence or key material.
    std::panic::set_hook(Box::new(|_| {
        eprintln!("error[internal]: an unexpected internal error stopped casebook; nothing was half-written");
    }));
    let cli = args::Cli::parse();
    let json = cli.global.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, message) = describe(&err);
            if json {
                eprintln!("{}", serde_json::json!({ "code": code, "message": message }));
            } else {
                eprintln!("error[{code}]: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The stable code and the message of an error; a core error keeps its own code.
fn describe(err: &anyhow::Error) -> (&'static str, String) {
    match err.downcast_ref::<casebook_core::Error>() {
        Some(core) => (core.code(), core.to_string()),
        None => ("io", format!("{err:#}")),
    }
}
