#!/bin/bash
# Install the Debian packages the build, the tests and the demo use.
# Sourced by test.sh and demo.sh; safe to run again.
set -eu

KL7_DEBS=(
	# build
	build-essential autoconf automake pkg-config
	libnl-3-dev libnl-route-3-dev libjson-c-dev libsystemd-dev libsnmp-dev
	libssl-dev check
	# tests and demo
	iproute2 iputils-ping procps python3 bc groff-base man-db keepalived
	clang libclang-rt-14-dev	# make fuzz, make fuzz-regress (test/fuzz/fuzz.mk)
)

kl7_install_deps() {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${KL7_DEBS[@]}" >/dev/null
}
