# Dihya Ops — the two README commands are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)

.PHONY: run test dev bench lint setup build

setup:
	@scripts/setup

build: setup
	LEPTOS_ENV=PROD cargo leptos build --release --split

## make run: install what is missing, build, start on http://127.0.0.1:3000 (SQLite in ./data)
run: build
	DIHYA_SITE_ROOT=$(CURDIR)/target/site $(TARGET_DIR)/release/dihya serve

## make test: install what is missing, then lint, unit/integration (SQLite + PostgreSQL), build, browser tests
test:
	@scripts/test

dev: setup
	cargo leptos watch --split

bench: build
	cargo build --release -p dihya --example bench_baseline --example bench_check_loop --example bench_servers_sqlx --example bench_seed_history
	@scripts/bench

lint: setup
	@scripts/lint
