# Renkei: `make run` serves the portal with demo data on http://127.0.0.1:3000;
# `make test` runs every test suite. Both install what a fresh machine lacks.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Tool versions. WASM_BINDGEN must equal the `wasm-bindgen` pin in Cargo.toml;
# BINARYEN (wasm-opt, from npm) the one in scripts/bundle/package.json.
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION := 132
WASM_OPT := scripts/bundle/node_modules/.bin/wasm-opt
# The wasm features rustc's wasm32 target emits, which wasm-opt may keep using.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue

export CARGO_TARGET_DIR ?= $(CURDIR)/target
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
RENKEI := $(CARGO_TARGET_DIR)/debug/renkei
# cargo-leptos writes the site (CSS, JS, wasm) here, relative to the repository.
export RENKEI_SITE_ROOT ?= target/site
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help run build release wasm-opt tools test test-rust test-e2e test-reliability lint fmt e2e-deps test-pg clean-data bench bundle-size

help:
	@echo "make run      install tools, build, seed demo data, serve on http://127.0.0.1:3000"
	@echo "make test     install tools and run every suite (PostgreSQL too if TEST_POSTGRES_URL is set)"
	@echo "make test-pg  start a local PostgreSQL on loopback and run 'make test' against it"
	@echo "make lint     rustfmt and clippy"
	@echo "make test-reliability  full disk, kill -9, crash points, concurrent edits, throttling race"
	@echo "make bench    advisor bank benchmark at 100k advisors (ADVISORS=N to change) and the bundle sizes"
	@echo "make release  release build: server, size-optimised wasm run through wasm-opt"

## Tools, each installed only when missing or at the wrong version.
tools:
	@if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then \
	  rustup target add wasm32-unknown-unknown; fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 3 minutes)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; fi
	@if [ "$$(cargo leptos --version 2>/dev/null | awk '{print $$2}')" != "$(CARGO_LEPTOS_VERSION)" ]; then \
	  echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 20 minutes on 2 cores)"; \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads --force; fi
	@pinned="$$(grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"; \
	  if [ "$$pinned" != "$(WASM_BINDGEN_VERSION)" ]; then \
	    echo "Cargo.lock has wasm-bindgen $$pinned but the CLI is $(WASM_BINDGEN_VERSION)" >&2; exit 1; fi

## Server binary and site (CSS, JS, wasm).
build: tools
	cargo leptos build

## wasm-opt (binaryen from npm), installed when missing or at another version.
wasm-opt:
	@if [ "$$($(WASM_OPT) --version 2>/dev/null | awk '{print $$3}')" != "$(BINARYEN_VERSION)" ]; then \
	  echo "installing binaryen $(BINARYEN_VERSION) (wasm-opt) from npm"; \
	  cd scripts/bundle && npm ci --no-audit --no-fund; fi

## Release build: the server and a size-optimised bundle (wasm-opt -Oz).
release: tools wasm-opt
	cargo leptos build --release
	$(WASM_OPT) -Oz $(WASM_FEATURES) $(RENKEI_SITE_ROOT)/pkg/renkei.wasm -o $(RENKEI_SITE_ROOT)/pkg/renkei.wasm

## The bundle's sizes as a browser receives them (raw and gzipped).
bundle-size: release
	python3 scripts/bundle-size.py $(RENKEI_SITE_ROOT)/pkg

run: build
	$(RENKEI) seed --demo
	$(RENKEI) serve

## Every suite: style, unit, integration (SQLite; PostgreSQL with TEST_POSTGRES_URL), end to end.
test: build lint test-rust test-e2e

lint: tools
	python3 scripts/check-layers.py
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p hydrate --target wasm32-unknown-unknown -- -D warnings

test-rust: tools
	cargo test --no-fail-fast

## The reliability suite alone (also part of test-rust): the real binary on a full
## disk, under kill -9 and at crash points; concurrent edits and sign-in races.
test-reliability: tools
	cargo test -p renkei --test reliability
	cargo test -p renkei --test api -- reliability::

e2e-deps:
	@if ! command -v chromium >/dev/null; then \
	  echo "installing Debian's chromium"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium; fi
	@cd end2end && if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; fi

test-e2e: build e2e-deps
	cd end2end && RENKEI_BIN="$(RENKEI)" npx playwright test

## Benchmarks (release build; they print figures and assert nothing).
bench: bundle-size
	cargo bench -p renkei --bench advisor_bank -- $(or $(ADVISORS),100000)

test-pg:
	TEST_POSTGRES_URL="$$(scripts/start-postgres.sh)" $(MAKE) test

clean-data:
	rm -rf data
