# Casebook's single entry point. `make run` shows the demo; `make test` runs every test.

export CARGO_TARGET_DIR ?= $(HOME)/.cache/casebook/target
DEBUG_BIN := $(CARGO_TARGET_DIR)/debug
RELEASE_BIN := $(CARGO_TARGET_DIR)/release
DEMO_VAULT ?= demo-vault

.PHONY: run server test lint unit bench deps fmt fuzz-smoke

deps:
	@scripts/install-deps.sh
	@tests/fixtures/mediawiki/install.sh

## Build the CLI and show the demo case's timeline (creates ./demo-vault on first run).
run: deps
	cargo build -p casebook-cli
	CASEBOOK_PASSPHRASE="demo passphrase" $(DEBUG_BIN)/casebook demo --vault $(DEMO_VAULT)

## The review server on its embedded default (./casebook-server-data, http://127.0.0.1:8443).
server: deps
	cargo build -p casebook-server
	$(DEBUG_BIN)/casebook-server --data casebook-server-data serve

## Every check: formatting, clippy, unit, integration and cross-process tests.
test: deps lint unit

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

unit:
	cargo build -p casebook-cli -p casebook-server --locked
	@if cargo nextest --version >/dev/null 2>&1; then \
		cargo nextest run --workspace --locked --no-fail-fast; \
	else \
		cargo test --workspace --locked --no-fail-fast; \
	fi

## Benchmarks against anchors measured in the same run (release build; see docs/benchmarks.md).
bench: deps
	@scripts/install-deps.sh bench
	cargo build --release -p casebook-cli -p casebook-server -p casebook-bench
	$(RELEASE_BIN)/casebook-bench $(BENCH_ARGS)

fmt:
	cargo fmt --all

## One minute of each fuzz target (needs `cargo install cargo-fuzz`; the stable toolchain with
## RUSTC_BOOTSTRAP=1 provides the sanitizer flags cargo-fuzz asks for).
FUZZ_SECONDS ?= 60
fuzz-smoke:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/fuzz cargo fuzz run envelope corpus/envelope -- -max_total_time=$(FUZZ_SECONDS)
	cd fuzz && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/fuzz cargo fuzz run open corpus/open -- -max_total_time=$(FUZZ_SECONDS)
