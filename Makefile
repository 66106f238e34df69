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

# Every test: the pure unit tests in parallel; then, one at a time, the ones that run real-time threads
# and timers (media pipelines, the speaker, the echo canceller, the watchdog: on 2 cores a parallel
# CPU-bound test starves them), the real peers, the daemon on bad input and the virtual board.
test: build
	$(SWIFT) test --skip IntegrationTests --skip MediaTests --skip SystemdTests
	$(SWIFT) test --filter "MediaTests|SystemdTests" --no-parallel
	$(SWIFT) test --filter IntegrationTests --no-parallel
	Board/virtual/selftest.sh

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# CPU per frame against vpxenc, peak RSS of the streaming process, the kiosk's reaction times and a 60 s
# two-way call with baresip as the agent (kioskd's CPU and peak RSS); see Benchmarks/README.md.
bench: release
	.build/release/kiosk-bench --kioskd .build/release/kioskd

# libFuzzer on the SIP and SDP parsers from their seed corpora (FUZZ_SECONDS each, default 60).
fuzz:
	Fuzz/run.sh sip $${FUZZ_SECONDS:-60}
	Fuzz/run.sh sdp $${FUZZ_SECONDS:-60}

clean:
	rm -rf .build out
