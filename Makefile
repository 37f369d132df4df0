# gmpscope — the two commands a user needs are `make run` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-release test-asan bench traces clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

# Runs the startup tutorial's demo with tracing and opens the viewer on it.
# Without a display it writes the trace and a screenshot and says where they are.
run: build
	@scripts/run-demo.sh $(BUILD)

test: test-release test-asan

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The runtime and tracer again under AddressSanitizer and UBSan.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGMPSCOPE_SANITIZE=ON \
	  -DGMPSCOPE_BUILD_VIEWER=OFF -DGMPSCOPE_BUILD_BENCH=OFF >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS) -L sanitize

bench: build
	@scripts/bench-compare.sh $(BUILD)

traces: build
	@scripts/make-traces.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
