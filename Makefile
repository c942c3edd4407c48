# Thin wrapper: every target installs what it needs through the project's own script.
.PHONY: all deps build demo test test-arm64 test-armhf bench fuzz clean

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

# The complete suite cross-built for an ARM board and run under QEMU (docs/cross-compiling.md).
test-arm64:
	scripts/install-deps.sh all
	scripts/install-cross-deps.sh arm64
	scripts/run-cross-tests.sh arm64

test-armhf:
	scripts/install-deps.sh all
	scripts/install-cross-deps.sh armhf
	scripts/run-cross-tests.sh armhf

# libFuzzer targets (tests/fuzz, docs/testing.md "Fuzzing") from the same clang ASan+UBSan
# configuration as the test suite's sanitizer stage, each run FUZZ_SECONDS (default 60).
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-14 \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DEDGEVERIFY_SANITIZE=ON -DEDGEVERIFY_FUZZ=ON
	cmake --build $(ASAN_BUILD_DIR) --target edgeverify-fuzz-targets
	FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --test-dir $(ASAN_BUILD_DIR) -L fuzz -j $$(nproc) --output-on-failure --no-tests=error

bench: build
	EDGEVERIFY_BUILD_DIR=$(CURDIR)/$(BUILD_DIR) tests/bench/bench_integrity.sh

clean:
	rm -rf $(BUILD_DIR) build-asan build-rpi4-arm64 build-beaglebone-armhf
