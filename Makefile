# Cicero — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
BIN := bin/cicero
PKGS := ./...

.PHONY: run test bench bench-full bench-seed bench-import build services browser migrate vet fmt clean

## run: start the whole system (embedded JetStream, local Postgres and Redis, HTTP on :3000)
run: services build
	JWT_SECRET="$${JWT_SECRET:-$$(./scripts/dev-secret.sh)}" ./$(BIN) serve

## test: every test, with the race detector, against real NATS, Postgres and Redis (and a headless
## chromium for the /ops page; its screenshot lands in $ARTIFACTS_DIR, default ./artifacts)
test: services browser
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 40m $(PKGS)

## bench: benchmarks (append and likes vs raw JetStream, projection catch-up, engagements and
## social rebuild vs raw COPY at CICERO_BENCH_ENGAGEMENTS, default 200,000, …); slow
bench: services
	$(GO) test -run '^$$' -bench . -benchtime 3s -timeout 60m $(PKGS)

## bench-seed: time and peak RSS of `cicero seed-demo` at full size against a fresh `make run` setup
##   (SEED_ARGS="--posts 100 --engagements 50000" for another size)
bench-seed: services
	./scripts/bench-seed.sh $(SEED_ARGS)

## bench-import: time, events/s and peak RSS of `cicero import-v2` from an old database at full size
##   (10,000 personnel, 3,000 posts with 3,000,000 likes, 1,000 TikTok posts with 500,000 comments),
##   then of a second run with nothing changed
bench-import: services
	./scripts/bench-import.sh

## bench-full: the social rebuild at full size (3,000,000 engagements over 3,000 posts)
bench-full: services
	CICERO_BENCH_ENGAGEMENTS=$${CICERO_BENCH_ENGAGEMENTS:-3000000} $(GO) test -run '^$$' -bench 'BenchmarkRebuild$$' \
		-benchtime 1x -timeout 60m -v ./projections/social/

build:
	$(GO) build -o $(BIN) ./cmd/cicero

services:
	@./scripts/services.sh

## browser: install Debian's chromium for the browser tests when missing
browser:
	@./scripts/browser.sh

migrate: services build
	./$(BIN) migrate

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data artifacts
