//! The review server past one machine: the same 50 clients × round trips as `concurrency`, on
//! 1, 2 and 3 instances over one PostgreSQL and one Garage bucket (each request to a random
//! instance). The anchor is one instance, so each ratio is how it scales on this machine.

use anyhow::{Result, bail};
use casebook_bundle::SecretIdentity;
use casebook_tests::fleet::Fleet;
use std::{sync::Arc, time::Duration};

use crate::{
    concurrency::{Client, measure, percentile},
    report::{Row, Verdict},
};

pub fn run(clients: usize, rounds: usize) -> Result<Vec<Row>> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let mut rows = Vec::new();
    let mut one = None;
    for instances in 1..=3 {
        eprintln!("[server] {instances} instance(s) on PostgreSQL + S3: enrolling {clients} devices…");
        let fleet = Fleet::start_with(crate::cli::exe_path()?.with_file_name("casebook-server"), instances);
        let bases: Vec<String> = (0..instances).map(|i| format!("http://127.0.0.1:{}", fleet.port(i))).collect();
        let mut all = Vec::new();
        for i in 0..clients {
            let name = format!("Investigator {i}");
            if !fleet.admin(&["create-user", "--name", &name, "--role", "investigator"]).status.success() {
                bail!("creating {name} failed");
            }
            let out = fleet.admin(&["enroll-token", "--user", &name]);
            let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let client = Client::new(SecretIdentity::generate(&name), bases.clone());
            runtime.block_on(client.enroll(&token))?;
            all.push(Arc::new(client));
        }
        eprintln!("[server] {instances} instance(s): {clients} clients × {rounds} bundles up and down…");
        let (rate, latencies, errors) = measure(&runtime, &all, rounds);
        let base = *one.get_or_insert(rate);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        rows.push(Row {
            benchmark: format!("{clients} clients × {rounds} round trips on {instances} instance(s), PostgreSQL + S3"),
            anchor: format!("1 instance: {base:.0} round trips/s"),
            ours: format!(
                "{rate:.0} round trips/s, p50 {:.0} ms, p99 {:.0} ms, {errors} errors",
                ms(percentile(&latencies, 0.5)),
                ms(percentile(&latencies, 0.99))
            ),
            ratio: rate / base,
            target: "0 errors (ratio = scaling)".into(),
            verdict: Verdict::from_bool(errors == 0),
        });
    }
    Ok(rows)
}
