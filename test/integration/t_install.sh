#!/bin/bash
# `make install DESTDIR=...` from the build tree: the daemon, both man
# pages, the sample configuration, the systemd unit (with this build's
# paths, valid for systemd-analyze verify) and every conf/*-MIB.txt land
# where the build's directories say; the installed daemon accepts the
# installed sample (-t, for both nodes); `make uninstall` removes them all.
# Needs no root and no network.
#
# Run by hand, from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_install.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

B=$KL7_TOP_BUILDDIR
D=$KL7_TMP/dest
[ -f "$B/Makefile" ] || skip_all "no Makefile in $B: configure first"

# mk ARGS...: make in the build tree, as a fresh make (not a sub-make of
# the make check that may run us: no jobserver, no overrides).
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$B" --no-print-directory "$@"
}

# The build's install directories, as its Makefile has them.
dir_of() {
	sed -n "s/^$1=//p" "$T_DIRS"
}
T_DIRS=$KL7_TMP/dirs
mk -s -f Makefile -f - kl7-print-dirs >"$T_DIRS" 2>&1 <<'EOF'
kl7-print-dirs:
	@echo "sbindir=$(sbindir)"
	@echo "man5dir=$(man5dir)"
	@echo "man8dir=$(man8dir)"
	@echo "exampledir=$(exampledir)"
	@echo "unitdir=$(systemdsystemunitdir)"
	@echo "mibdir=$(mibdir)"
EOF
[ -n "$(dir_of sbindir)" ] || bail_out "cannot read the install directories: $(head -n 3 "$T_DIRS")"
sbindir=$(dir_of sbindir)
unitdir=$(dir_of unitdir)
mibdir=$(dir_of mibdir)

if mk install DESTDIR="$D" >"$KL7_TMP/install.log" 2>&1; then
	pass "make install DESTDIR=... succeeds"
else
	diag_file "$KL7_TMP/install.log" 20
	bail_out "make install DESTDIR=... failed"
fi

# ---------------------------------------------------------------- files

bad=0
want=("$sbindir/keepalive-l7" "$sbindir/keepalive-l7ctl" "$(dir_of man8dir)/keepalive-l7.8"
    "$(dir_of man8dir)/keepalive-l7ctl.8" "$(dir_of man5dir)/keepalive-l7.conf.5"
    "$(dir_of exampledir)/keepalive-l7.conf")
[ -z "$unitdir" ] || want+=("$unitdir/keepalive-l7.service")
# MIB files are installed as they appear in conf/ (none may be there yet).
mibs=0
for f in "$KL7_TOP_SRCDIR"/conf/*-MIB.txt; do
	[ -f "$f" ] || continue
	want+=("$mibdir/$(basename "$f")")
	mibs=$((mibs + 1))
done
for f in "${want[@]}"; do
	[ -s "$D$f" ] || { diag "missing: $f"; bad=1; }
done
for f in keepalive-l7 keepalive-l7ctl; do
	[ -x "$D$sbindir/$f" ] || { diag "not executable: $sbindir/$f"; bad=1; }
done
# Nothing else is installed: each file is one we expect.
while IFS= read -r f; do
	found=0
	for w in "${want[@]}"; do
		[ "$D$w" != "$f" ] || found=1
	done
	[ "$found" -eq 1 ] || { diag "unexpected file installed: ${f#"$D"}"; bad=1; }
done < <(find "$D" -type f)
ok "$bad" "installed: the daemon, keepalive-l7ctl, 3 man pages, the sample config, the unit, $mibs MIB file(s); nothing else"

cmp -s "$D$(dir_of exampledir)/keepalive-l7.conf" "$KL7_TOP_SRCDIR/conf/keepalive-l7.conf"
ok $? "the installed sample is conf/keepalive-l7.conf"

bad=0
for id in lb1 lb2; do
	"$D$sbindir/keepalive-l7" -t -f "$D$(dir_of exampledir)/keepalive-l7.conf" -i "$id" \
	    >"$KL7_TMP/t-$id.log" 2>&1 || { diag_file "$KL7_TMP/t-$id.log" 10; bad=1; }
done
ok "$bad" "the installed daemon's -t accepts the installed sample (-i lb1, -i lb2)"

# ---------------------------------------------------------------- the unit

if [ -z "$unitdir" ]; then
	skip "configured --without-systemdsystemunitdir" "the unit's key lines"
	skip "configured --without-systemdsystemunitdir" "systemd-analyze verify"
else
	U=$D$unitdir/keepalive-l7.service
	bad=0
	for line in "Type=notify" "NotifyAccess=main" \
	    "ExecStart=$sbindir/keepalive-l7 --dont-fork -f .*" \
	    "ExecStartPre=$sbindir/keepalive-l7 --config-test -f .*" \
	    'ExecReload=/bin/kill -HUP \$MAINPID' "WatchdogSec=[0-9]+s" "KillMode=mixed" \
	    "CapabilityBoundingSet=.*CAP_NET_ADMIN.*" "CapabilityBoundingSet=.*CAP_NET_RAW.*" \
	    "CapabilityBoundingSet=.*CAP_NET_BIND_SERVICE.*" "WantedBy=multi-user.target"; do
		grep -Eqx -- "$line" "$U" || { diag "no line matching: $line"; bad=1; }
	done
	grep -q '@[a-z]*@' "$U" && { diag "unsubstituted: $(grep '@[a-z]*@' "$U")"; bad=1; }
	ok "$bad" "the unit: Type=notify, ExecStart/ExecStartPre on $sbindir, ExecReload, WatchdogSec, KillMode=mixed, capabilities"

	if command -v systemd-analyze >/dev/null; then
		# verify wants the binaries the unit names: point it at DESTDIR.
		# It exits 0 on unknown keys or bad values, printing them: any
		# output is a failure.  A broken copy shows that it is heard.
		mkdir -p "$KL7_TMP/unit"
		sed "s|$sbindir/|$D$sbindir/|g" "$U" >"$KL7_TMP/unit/keepalive-l7.service"
		sed 's/^KillMode=mixed/KillMode=sometimes/' "$KL7_TMP/unit/keepalive-l7.service" \
		    >"$KL7_TMP/unit/broken.service"
		out=$(systemd-analyze verify --man=no "$KL7_TMP/unit/keepalive-l7.service" 2>&1)
		rc=$?
		broken=$(systemd-analyze verify --man=no "$KL7_TMP/unit/broken.service" 2>&1)
		[ -z "$out" ] || diag "$out"
		[ -n "$broken" ] || diag "systemd-analyze said nothing about KillMode=sometimes"
		[ "$rc" -eq 0 ] && [ -z "$out" ] && [ -n "$broken" ]
		ok $? "systemd-analyze verify: the unit is clean (and a broken copy is reported)"
	else
		skip "no systemd-analyze (Debian package systemd)" "systemd-analyze verify"
	fi
fi

# ---------------------------------------------------------------- uninstall

if mk uninstall DESTDIR="$D" >"$KL7_TMP/uninstall.log" 2>&1; then
	left=$(find "$D" -type f)
	[ -z "$left" ] || diag "left behind: $left"
	[ -z "$left" ]
	ok $? "make uninstall DESTDIR=... removes every installed file"
else
	diag_file "$KL7_TMP/uninstall.log" 20
	fail "make uninstall DESTDIR=... removes every installed file"
fi
done_testing
