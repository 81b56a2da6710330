#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Casebook needs to build and test, if any are missing.
# Runs apt-get only when something is missing, as root or through sudo.
set -euo pipefail

packages=(build-essential pkg-config libssl-dev openssl)
# `install-deps.sh bench` also installs the anchors the benchmarks compare against.
if [ "${1:-}" = bench ]; then packages+=(age curl coreutils); fi

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not installed. Install Rust ${RUST_MIN:-1.89} or newer with rustup." >&2
    exit 1
fi
