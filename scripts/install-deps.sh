#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Casebook needs to build and test, if any are missing.
# Runs apt-get only when something is missing, as root or through sudo.
set -euo pipefail

packages=(build-essential pkg-config libssl-dev openssl)
# Case reports: the tests read the PDFs back with poppler (pdfinfo, pdftotext, pdftoppm).
packages+=(poppler-utils)
# The desktop app (Tauri 2 on WebKitGTK) and its end-to-end tests: Xvfb, WebKitWebDriver,
# Chromium for the UI's flow tests, ImageMagick and xauth for screenshots under xvfb-run.
packages+=(libwebkit2gtk-4.1-dev xvfb xauth webkit2gtk-driver chromium imagemagick)
# `install-deps.sh server`: the review server's tests also run it on PostgreSQL (a private
# cluster started by the tests) and on Garage (below).
if [ "${1:-}" = server ]; then packages+=(postgresql); fi
# `install-deps.sh bench` also installs the anchors the benchmarks compare against.
if [ "${1:-}" = bench ]; then packages+=(age curl coreutils); fi

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js 20 or newer builds and tests the UI; Debian 12's own is 18, so keep one that is there.
node_major() { node -e 'console.log(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(node_major)" -lt 20 ]; then
    echo "error: the UI needs Node.js 20 or newer (found $(node --version 2>/dev/null || echo none));" \
        "install it from https://deb.nodesource.com or with nvm, then run this again" >&2
    exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not installed. Install Rust ${RUST_MIN:-1.89} or newer with rustup." >&2
    exit 1
fi

# tauri-driver bridges WebDriver clients to WebKitWebDriver for the desktop end-to-end tests.
TAURI_DRIVER_VERSION=2.1.0
if ! cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
    echo "installing tauri-driver $TAURI_DRIVER_VERSION" >&2
    cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi

# Garage, the S3-compatible object store the review server's tests run against (one node on
# loopback). Built once into a directory outside any clone, so later runs and clones reuse it:
# about 25 minutes on two shared cores, SQLite metadata only (see README, "Review server").
GARAGE_VERSION=2.5.0
TOOLS="${CASEBOOK_TOOLS:-/var/tmp/casebook-tools}"
if [ "${1:-}" = server ] && ! "$TOOLS/bin/garage" --version 2>/dev/null | grep -q "cargo:$GARAGE_VERSION"; then
    echo "installing garage $GARAGE_VERSION into $TOOLS (a one-time build)" >&2
    CARGO_TARGET_DIR="$TOOLS/target" cargo install garage --locked --version "$GARAGE_VERSION" \
        --no-default-features --features bundled-libs,sqlite --root "$TOOLS"
    rm -rf "$TOOLS/target"
fi
