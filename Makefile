# Pasarela: `make run` starts the system, `make test` runs the whole suite. Both install what is missing.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := librabbitmq-dev libssl-dev rabbitmq-server redis-server postgresql mariadb-server libmariadb-dev pkg-config
CONFIG ?= gateway.yaml
BUILD_FLAGS ?=

.PHONY: bootstrap build release run test soak bench bench-amqp validate routes clean

## bootstrap: install missing system packages (apt; sudo when not root). Does nothing when all are present.
bootstrap:
	@scripts/bootstrap.sh $(APT_PACKAGES)

build: bootstrap
	$(SWIFT) build $(BUILD_FLAGS)

## release: the production build of the gateway (.build/release/pasarela; see scripts/release-build.sh)
release: bootstrap
	@scripts/release-build.sh pasarela

## run: build and serve gateway.yaml
run: bootstrap
	@scripts/run.sh $(CONFIG)

## test: the whole suite (starts its own RabbitMQ, PostgreSQL and MariaDB on private ports; stops them afterwards)
test: bootstrap
	@scripts/test.sh

## soak: long runs kept out of `make test` (1 GB through the gateway with flat memory, ...)
soak: bootstrap
	$(SWIFT) build $(BUILD_FLAGS) --product pasarela
	soak/upload-memory.sh

## bench: gateway vs direct upstream (and nginx/HAProxy when installed), wrk, release build
bench: bootstrap
	@bench/run.sh

## bench-amqp: HTTP → AMQP jobs/s through the gateway vs a native publisher-confirm loop, same broker
bench-amqp: bootstrap
	@bench/amqp.sh

validate: build
	$(SWIFT) run $(BUILD_FLAGS) pasarela validate --config $(CONFIG)

routes: build
	$(SWIFT) run $(BUILD_FLAGS) pasarela routes --config $(CONFIG)

clean:
	rm -rf .build
