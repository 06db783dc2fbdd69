# Cicero — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
BIN := bin/cicero
PKGS := ./...

.PHONY: run test bench bench-seed build services migrate vet fmt clean

## run: start the whole system (embedded JetStream, local Postgres and Redis, HTTP on :3000)
run: services build
	JWT_SECRET="$${JWT_SECRET:-$$(./scripts/dev-secret.sh)}" ./$(BIN) serve

## test: every test, with the race detector, against real NATS, Postgres and Redis
test: services
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 40m $(PKGS)

## bench: benchmarks (append vs raw JetStream, projection catch-up, …); slow
bench: services
	$(GO) test -run '^$$' -bench . -benchtime 3s -timeout 60m $(PKGS)

## bench-seed: time and peak RSS of `cicero seed-demo` at full size against a fresh `make run` setup
##   (SEED_ARGS="--posts 100 --engagements 50000" for another size)
bench-seed: services
	./scripts/bench-seed.sh $(SEED_ARGS)

build:
	$(GO) build -o $(BIN) ./cmd/cicero

services:
	@./scripts/services.sh

migrate: services build
	./$(BIN) migrate

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data
