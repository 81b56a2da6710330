// Shared by the build scripts of casebook-core (migrations/store) and casebook-server
// (migrations/server), each with `include!`: writes `$OUT_DIR/migrations.rs` holding every SQL
// file of `migrations/<set>/` in order, so no binary ships without its schema, and asks cargo to
// rebuild when a migration changes.

fn embed_migrations(set: &str) {
    use std::{env, fmt::Write as _, fs, path::PathBuf};
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(set);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("migrations/{set} must exist: {e}"))
        .map(|entry| entry.expect("readable migrations dir").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut out = format!("/// The {set} migrations, in order: (file name, SQL).\npub const MIGRATIONS: &[(&str, &str)] = &[\n");
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
