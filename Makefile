# Thin wrapper: every target installs what it needs through the project's own script.
.PHONY: all deps build demo test bench clean

BUILD_DIR ?= build

all: build

deps:
	scripts/install-deps.sh all

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR)

demo: build
	scripts/demo.sh $(BUILD_DIR)

test:
	scripts/run-tests.sh

bench: build
	EDGEVERIFY_BUILD_DIR=$(CURDIR)/$(BUILD_DIR) tests/bench/bench_integrity.sh

clean:
	rm -rf $(BUILD_DIR) build-asan
