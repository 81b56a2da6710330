//! Embeds every SQL file under migrations/server/ so no binary ships without its schema.

use std::{env, fmt::Write as _, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../migrations/server");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("migrations/server must exist")
        .map(|entry| entry.expect("readable migrations dir").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Server migrations, in order: (file name, SQL).\npub const MIGRATIONS: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().expect("file name").to_string_lossy();
        let abs = fs::canonicalize(path).expect("canonical migration path");
        writeln!(out, "    ({name:?}, include_str!({:?})),", abs.display().to_string()).expect("write to string");
    }
    out.push_str("];\n");
    let target = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    fs::write(target, out).expect("write migrations.rs");
}
