# Casebook's single entry point. `make run` opens the desktop app; `make test` runs every test.

export CARGO_TARGET_DIR ?= $(HOME)/.cache/casebook/target
DEBUG_BIN := $(CARGO_TARGET_DIR)/debug
RELEASE_BIN := $(CARGO_TARGET_DIR)/release
DEMO_VAULT ?= demo-vault

.PHONY: run demo server test lint unit ui ui-check desktop bench deps app-deps server-deps fmt fuzz-smoke

## Packages for the app alone (WebKitGTK, Node.js, tauri-driver).
app-deps:
	@scripts/install-deps.sh

## Everything the tests need besides: the MediaWiki fixture, PostgreSQL and Garage (S3) too.
deps: app-deps server-deps
	@tests/fixtures/mediawiki/install.sh

## PostgreSQL (apt) and Garage (built once into /var/tmp/casebook-tools) for the server's tests.
server-deps:
	@scripts/install-deps.sh server

## The web UI, built into ui/dist (the desktop app embeds it at compile time).
ui: app-deps
	cd ui && npm ci --no-audit --no-fund && npm run build

desktop: ui
	cargo build -p casebook-desktop --locked

## Build the UI and the desktop app, and open it (vault in the app data dir, or CASEBOOK_VAULT).
run: desktop
	$(DEBUG_BIN)/casebook-desktop

## The command-line demo: creates ./demo-vault with a sample case and prints its timeline.
demo: app-deps
	cargo build -p casebook-cli
	CASEBOOK_PASSPHRASE="demo passphrase" $(DEBUG_BIN)/casebook demo --vault $(DEMO_VAULT)

## The review server on its embedded default (./casebook-server-data, http://127.0.0.1:8443).
server: app-deps
	cargo build -p casebook-server
	$(DEBUG_BIN)/casebook-server --data casebook-server-data serve

## Every check: formatting, clippy, the UI's typecheck, lint, unit and flow tests, then unit,
## integration, cross-process and desktop end-to-end tests (debug builds throughout).
test: deps ui lint ui-check unit

ui-check: ui
	cd ui && npm run check && npm run lint && npm test && npm run test:flows

lint: ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# The end-to-end tests (tests/tests/e2e) start their own Xvfb and tauri-driver.
unit: ui
	cargo build -p casebook-cli -p casebook-server -p casebook-verify -p casebook-desktop --locked
	@if cargo nextest --version >/dev/null 2>&1; then \
		cargo nextest run --workspace --locked --no-fail-fast; \
	else \
		cargo test --workspace --locked --no-fail-fast; \
	fi

## Benchmarks against anchors measured in the same run (release build; see docs/benchmarks.md).
bench: deps
	@scripts/install-deps.sh bench
	cd ui && npm ci --no-audit --no-fund && npm run build
	cargo build --release -p casebook-cli -p casebook-server -p casebook-bench -p casebook-desktop --bins --examples
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
