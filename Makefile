# Bridger: `make run` launches the app on a demo database; `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu packages, npm packages, cargo tools).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev \
	libayatana-appindicator3-dev librsvg2-dev libxdo-dev webkit2gtk-driver xvfb xauth \
	dbus-x11 imagemagick xdotool poppler-utils
DEMO_DB := demo/bridger-demo.db
DEMO_PEOPLE ?= 2000
# The demo's login, printed by `make run`. A demo database holds made-up people only.
DEMO_USER := demo
DEMO_PASSWORD := peer-recovery-2026

.PHONY: run test package package-deb package-appimage deps deps-system deps-node deps-driver ui app bindings demo-db test-rust test-ui test-e2e bench bench-app soak fuzz clean-demo

run: deps app demo-db
	@echo "opening Bridger on the demo database $(DEMO_DB) (make clean-demo starts it afresh)"
	@echo "sign in as: $(DEMO_USER)   password: $(DEMO_PASSWORD)"
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "no display: running Bridger under a virtual X server (xvfb-run)"; \
		xvfb-run -a dbus-run-session -- target/debug/bridger-desktop --db $(DEMO_DB); \
	else \
		target/debug/bridger-desktop --db $(DEMO_DB); \
	fi

test: deps test-rust test-ui test-e2e

deps: deps-system deps-node deps-driver

# Installers of an optimized build, from Tauri's bundler (its CLI comes with the UI's npm
# packages): target/release/bundle/deb/*.deb, with the `bridger` command-line tool beside the
# app, then target/release/bundle/appimage/*.AppImage. The .deb needs nothing from a network
# (`make package-deb` alone); the bundler downloads its AppImage tools (linuxdeploy) from GitHub
# the first time. Windows installers are made on Windows (docs/windows-installer.md).
package: package-deb package-appimage

package-deb: deps-system deps-node ui
	cargo build --release -p bridger --bin bridger
	ui/node_modules/.bin/tauri build --bundles deb

package-appimage: package-deb
	ui/node_modules/.bin/tauri build --bundles appimage

# Installs the Debian packages only when one is missing, so a ready machine skips apt. Node.js
# comes from Debian only when no node/npm is on the PATH already.
deps-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup, then run make again"; exit 1; }

deps-node:
	@[ ui/node_modules/.package-lock.json -nt ui/package-lock.json ] || (cd ui && npm ci --no-audit --no-fund)
	@[ tests/e2e/node_modules/.package-lock.json -nt tests/e2e/package-lock.json ] || (cd tests/e2e && npm ci --no-audit --no-fund)

deps-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

ui:
	cd ui && npm run build && npm run offline

# One build for everything: both programs, the tests and the benchmarks, in one cargo run with
# one set of features, so the app the end-to-end tests drive is the one `cargo test` just used
# and nothing is compiled twice.
app: ui
	cargo build --workspace --all-targets

# Writes the UI's bindings (ui/src/backend/bindings.ts) from the desktop shell's commands;
# `make test` fails while the checked-in file differs from what this would write.
bindings:
	BRIDGER_WRITE_BINDINGS=1 cargo test -p bridger-desktop --lib bindings

demo-db: app
	@[ -f $(DEMO_DB) ] || { mkdir -p $(dir $(DEMO_DB)) && printf '%s\n' '$(DEMO_PASSWORD)' > $(dir $(DEMO_DB))password.txt && \
		target/debug/bridger --db $(DEMO_DB) demo --participants $(DEMO_PEOPLE) --seed 1 \
		--admin $(DEMO_USER) --admin-name "Demo Coordinator" --password-file $(dir $(DEMO_DB))password.txt; }

clean-demo:
	rm -rf $(dir $(DEMO_DB))

test-rust: app
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace

test-ui:
	cd ui && npm run check && npm test

test-e2e: app
	cd tests/e2e && dbus-run-session -- xvfb-run -a --server-args="-screen 0 1366x880x24" npm test

# Each reader of outside bytes under libFuzzer for FUZZ_SECONDS: the bundle reader (formats 1
# and 2) and the roster reader (CSV and XLSX files). With a nightly toolchain it runs under
# AddressSanitizer, as `cargo +nightly fuzz` does; where only the stable toolchain can be had it
# runs without a sanitizer (RUSTC_BOOTSTRAP lets stable take cargo-fuzz's flags), which still
# catches every panic, overflow and hang. Crashing inputs are kept in fuzz/artifacts/.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS = bundle_reader roster_reader
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	@for target in $(FUZZ_TARGETS); do \
		if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then \
			(cd fuzz && cargo +nightly fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS)) || exit 1; \
		else \
			(cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $$target -- -max_total_time=$(FUZZ_SECONDS)) || exit 1; \
		fi; \
	done

# Long runs, apart from `make test`, each printing its figure: the convergence property for
# SOAK_CASES random cases, every crash test at SOAK_KILLS kill points, and the bundle and roster
# readers under the fuzzer for SOAK_FUZZ_SECONDS each.
SOAK_CASES ?= 10000
SOAK_KILLS ?= 200
SOAK_FUZZ_SECONDS ?= 1800
soak: app
	@start=$$(date +%s); SOAK_CASES=$(SOAK_CASES) cargo test -q --test it convergence:: && \
		echo "soak: the convergence property held for $(SOAK_CASES) cases in $$(( $$(date +%s) - start )) s"
	@start=$$(date +%s); BRIDGER_CRASH_ROUNDS=$(SOAK_KILLS) cargo test -q --test it crash:: && \
		echo "soak: $$(grep -c '^fn killing_' tests/it/crash.rs) crash tests held at $(SOAK_KILLS) kill points each in $$(( $$(date +%s) - start )) s"
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(SOAK_FUZZ_SECONDS) 2>&1 | tee fuzz/soak.log | grep -E '^Done|SUMMARY|crash-' ; \
		runs=$$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' fuzz/soak.log | paste -sd ';' -); \
		[ "$$(grep -cE '^Done [0-9]+ runs' fuzz/soak.log)" -eq "$(words $(FUZZ_TARGETS))" ] && echo "soak: $(FUZZ_TARGETS) fuzzed: $$runs(s), no crash" || { echo "soak: a fuzzer stopped early: see fuzz/soak.log"; exit 1; }

bench:
	cargo bench --bench unlock
	cargo bench --bench roster
	cargo bench --bench roster_import
	cargo bench --bench groups
	cargo bench --bench sync
	cargo bench --bench reentry
	cargo bench --bench peer_work
	cargo bench --bench report
	cargo bench --bench merges
	$(MAKE) bench-app

# The optimized app as a person meets it (tests/e2e/bench/app.mjs): start-up to the sign-in
# screen, sign-in to the roster of the benchmarks' 100,000-person site, and the memory of all its
# processes. `cargo bench --bench peer_work -- --test` builds that site once, under target/.
BENCH_SITE = $$(ls -t $(CURDIR)/target/tmp/bench-data/site-100000-v*.db | head -1)
bench-app: deps ui
	cargo build --release -p bridger-desktop
	cargo bench --bench peer_work -- --test >/dev/null
	printf '%s\n' 'a long password for timing' > target/tmp/bench-data/password
	cd tests/e2e && dbus-run-session -- xvfb-run -a --server-args="-screen 0 1366x880x24" \
		node bench/app.mjs $(CURDIR)/target/release/bridger-desktop $(BENCH_SITE) bench $(CURDIR)/target/tmp/bench-data/password
