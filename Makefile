# kioskd: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SWIFT ?= swift

.PHONY: deps build run test bench release fuzz clean

deps:
	scripts/deps.sh

build: deps
	$(SWIFT) build

# The kiosk on its embedded default: synthetic camera and tone, a local receiver decoding into out/.
run: build
	scripts/run-embedded.sh

# Every test: unit tests in parallel; then, one at a time (they time real streams on 2 cores), the
# real receivers (ffmpeg), the daemon on bad input and the virtual board (QEMU with real drivers).
test: build
	$(SWIFT) test --skip IntegrationTests
	$(SWIFT) test --filter IntegrationTests --no-parallel
	Board/virtual/selftest.sh

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# CPU per frame against vpxenc and peak RSS of the streaming process (see Benchmarks/README.md).
bench: release
	.build/release/kiosk-bench --kioskd .build/release/kioskd

# libFuzzer on the SIP and SDP parsers from their seed corpora (FUZZ_SECONDS each, default 60).
fuzz:
	Fuzz/run.sh sip $${FUZZ_SECONDS:-60}
	Fuzz/run.sh sdp $${FUZZ_SECONDS:-60}

clean:
	rm -rf .build out
