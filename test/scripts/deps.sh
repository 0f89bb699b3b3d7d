#!/bin/bash
# Install the Debian packages the build, the tests and the demo use.
# Sourced by test.sh and demo.sh; safe to run again.  It sets no shell
# options: errexit here made test.sh stop at the first failing make check,
# before its "N passed, N failed" line.

KL7_DEBS=(
	# build
	build-essential autoconf automake pkg-config
	libnl-3-dev libnl-route-3-dev libjson-c-dev libsystemd-dev libsnmp-dev
	libssl-dev check
	libcrypt-dev		# libxcrypt: crypt_rn(3) for http_route auth_users
	# tests and demo
	iproute2 iputils-ping procps python3 bc groff-base man-db keepalived
	haproxy python3-matplotlib	# t_ha.sh: the other stack, the results chart
	wrk			# t_reload.sh: keep-alive load across reloads
	nginx-light openssl curl	# backends the checker tests start themselves
	snmpd snmptrapd snmp smitools	# t_snmp.sh: master agent, trap receiver, snmpwalk, smilint
	systemd			# systemd.pc (unit dir) and systemd-analyze verify (t_install.sh)
	clang libclang-rt-14-dev	# make fuzz, make fuzz-regress (test/fuzz/fuzz.mk)
)

kl7_install_deps() {
	local guard=/usr/sbin/policy-rc.d made= rc=0

	export DEBIAN_FRONTEND=noninteractive
	# Packages such as nginx start their service on install; the tests
	# start their own instances in namespaces, so forbid that (the
	# Debian policy-rc.d interface), and leave the machine as it was.
	if [ ! -e "$guard" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod 755 "$guard" && made=1
	fi
	apt-get update -qq &&
		apt-get install -y -qq --no-install-recommends "${KL7_DEBS[@]}" >/dev/null ||
		rc=$?
	[ -z "$made" ] || rm -f "$guard"
	return $rc
}
