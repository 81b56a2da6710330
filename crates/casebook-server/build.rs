//! Embeds every SQL file under migrations/server/ so no binary ships without its schema.

include!("../../migrations/embed.rs");

fn main() {
    println!("cargo:rerun-if-changed=../../migrations/embed.rs");
    embed_migrations("server");
}
