# libFuzzer harnesses (clang): `make fuzz FUZZ_SECONDS=N`, `make fuzz-regress`.
# Included from the top Makefile.am.
#
# Plain make rules, not automake primaries: the harnesses are built with
# clang and the fuzzer/sanitizer runtimes (Debian: clang, libclang-rt-14-dev),
# not with the project's CC and CFLAGS, and only when asked for, so `make`,
# `make check` and `make distcheck` never need clang.
#
# The harnesses (test/fuzz/fuzz_NAME.c, seeds in test/fuzz/corpus/NAME/,
# an optional test/fuzz/NAME.dict):
#   vrrp_packet     the VRRP advert decoder, with the encoder's round trip
#   config          the config lexer and parser, through conf_load_string()
#   http1_request   the HTTP/1.1 request head parser
#   http1_response  the response head parser, and the chunked scanner behind it
#   http1_chunked   the chunked scanner alone, against a naive reader
#   ctl_req         the control socket's request parser (JSON)
#   proxy_proto     the PROXY protocol v1/v2 decoder, with the encoder's round trip
#   tls_hello       the TLS ClientHello/SNI peeker (issue #7)
#   auth_basic      Basic credentials in an Authorization value, and strict base64
#   sticky_sync     the sticky-sync frame splitter and body decoders, on a stream
#
#   make fuzz            build every harness and fuzz each for FUZZ_SECONDS
#                        (default 60) on a copy of its seed corpus kept in
#                        test/fuzz/work/NAME/corpus (it grows across runs;
#                        the seeds in the source tree are never written);
#                        fails if any finds a crash, leak, timeout or OOM,
#                        and copies the input to test/fuzz/crashes/NAME/.
#                        FUZZ_NAMES=NAME... picks some.
#   make fuzz-regress    run each harness once over every seed (no fuzzing;
#                        a few seconds; test/integration/t_fuzz_regress.sh,
#                        so every `make check`).
#   make fuzz-build      only build them; `make fuzz-list` names them.
#   make fuzz-clean      remove the binaries, work corpora and crashes.
#
# test/scripts/test.sh (CI) fuzzes each harness for 60 s after both
# builds' `make check`, one pass or fail each.
#
# Reproduce a crash: test/fuzz/fuzz_NAME test/fuzz/crashes/NAME/crash-...
# Once fixed, add the input to test/fuzz/corpus/NAME/ as a regression.

FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wpointer-arith -Wformat=2 -Wno-unused-parameter
FUZZ_RUN_FLAGS = -timeout=10 -rss_limit_mb=2048
FUZZ_NAMES = vrrp_packet config http1_response http1_request http1_chunked ctl_req \
	proxy_proto tls_hello auth_basic sticky_sync
FUZZ_PROGS = test/fuzz/fuzz_vrrp_packet test/fuzz/fuzz_config \
	test/fuzz/fuzz_http1_response test/fuzz/fuzz_http1_request \
	test/fuzz/fuzz_http1_chunked test/fuzz/fuzz_ctl_req test/fuzz/fuzz_proxy_proto \
	test/fuzz/fuzz_tls_hello test/fuzz/fuzz_auth_basic \
	test/fuzz/fuzz_sticky_sync

# Project sources each harness compiles, relative to top_srcdir.
FUZZ_VRRP_PACKET_SRCS = test/fuzz/fuzz_vrrp_packet.c \
	vrrp/vrrp_packet.c lib/addr.c
FUZZ_CONFIG_SRCS = test/fuzz/fuzz_config.c \
	keepalive-l7/conf_load.c keepalive-l7/conf_global.c \
	vrrp/vrrp_parser.c check/check_parser.c splice/vs_parser.c splice/vs_edit.c \
	splice/tls_route_parser.c \
	splice/auth_parser.c splice/auth_basic.c splice/auth_hash.c lib/base64.c \
	splice/sync_parser.c \
	lib/conf.c lib/conf_json.c lib/cfg_lex.c lib/cfg_parse.c \
	lib/arena.c lib/addr.c lib/log.c
FUZZ_HTTP1_RESPONSE_SRCS = test/fuzz/fuzz_http1_response.c \
	lib/http1.c lib/http1_chunked.c
FUZZ_HTTP1_REQUEST_SRCS = test/fuzz/fuzz_http1_request.c \
	lib/http1_request.c lib/http1.c
FUZZ_HTTP1_CHUNKED_SRCS = test/fuzz/fuzz_http1_chunked.c \
	lib/http1_chunked.c lib/http1.c
FUZZ_CTL_REQ_SRCS = test/fuzz/fuzz_ctl_req.c \
	keepalive-l7/ctl_req.c lib/addr.c
FUZZ_PROXY_PROTO_SRCS = test/fuzz/fuzz_proxy_proto.c \
	lib/proxy_proto.c lib/addr.c
FUZZ_TLS_HELLO_SRCS = test/fuzz/fuzz_tls_hello.c lib/tls_hello.c
FUZZ_AUTH_BASIC_SRCS = test/fuzz/fuzz_auth_basic.c \
	splice/auth_basic.c lib/base64.c
FUZZ_STICKY_SYNC_SRCS = test/fuzz/fuzz_sticky_sync.c \
	splice/sync_proto.c lib/addr.c
FUZZ_HDRS = config.h test/fuzz/fuzz.h lib/addr.h lib/arena.h lib/cfg.h lib/conf.h lib/conf_json.h \
	lib/log.h vrrp/vrrp_packet.h vrrp/vrrp_parser.h check/check_parser.h \
	splice/vs_parser.h keepalive-l7/conf_load.h keepalive-l7/ctl_req.h \
	lib/http1.h lib/http1_int.h test/fuzz/fuzz_http1.h test/fuzz/fuzz_chunked.h lib/proxy_proto.h \
	lib/tls_hello.h \
	lib/base64.h splice/auth_basic.h splice/auth_hash.h splice/auth_parser.h \
	splice/sync_proto.h splice/sync_parser.h

EXTRA_DIST += test/fuzz/fuzz.h test/fuzz/fuzz_vrrp_packet.c test/fuzz/fuzz_config.c \
	test/fuzz/config.dict test/fuzz/ctl_req.dict test/fuzz/corpus \
	test/fuzz/fuzz_http1_response.c test/fuzz/fuzz_http1_request.c test/fuzz/fuzz_http1.h \
	test/fuzz/fuzz_http1_chunked.c test/fuzz/fuzz_chunked.h test/fuzz/fuzz_ctl_req.c \
	test/fuzz/fuzz_proxy_proto.c test/fuzz/fuzz_tls_hello.c test/fuzz/fuzz_auth_basic.c \
	test/fuzz/fuzz_sticky_sync.c

# Each rule: srcs=...; $(FUZZ_COMPILE) $$srcs LIBS, the sources named from
# top_srcdir.
FUZZ_COMPILE = $(MKDIR_P) test/fuzz && \
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(top_srcdir) -I$(top_builddir) $(JSONC_CFLAGS) -o $@

test/fuzz/fuzz_vrrp_packet: $(FUZZ_VRRP_PACKET_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_VRRP_PACKET_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_config: $(FUZZ_CONFIG_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_CONFIG_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs $(JSONC_LIBS) \
	  $(OPENSSL_LIBS) $(CRYPT_LIBS)

test/fuzz/fuzz_http1_response: $(FUZZ_HTTP1_RESPONSE_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_HTTP1_RESPONSE_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_http1_request: $(FUZZ_HTTP1_REQUEST_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_HTTP1_REQUEST_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_http1_chunked: $(FUZZ_HTTP1_CHUNKED_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_HTTP1_CHUNKED_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_ctl_req: $(FUZZ_CTL_REQ_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_CTL_REQ_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs $(JSONC_LIBS)

test/fuzz/fuzz_proxy_proto: $(FUZZ_PROXY_PROTO_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_PROXY_PROTO_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_tls_hello: $(FUZZ_TLS_HELLO_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_TLS_HELLO_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_auth_basic: $(FUZZ_AUTH_BASIC_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_AUTH_BASIC_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs

test/fuzz/fuzz_sticky_sync: $(FUZZ_STICKY_SYNC_SRCS) $(FUZZ_HDRS)
	$(AM_V_GEN)srcs=; for f in $(FUZZ_STICKY_SYNC_SRCS); do \
	  srcs="$$srcs $(top_srcdir)/$$f"; done; $(FUZZ_COMPILE) $$srcs $(OPENSSL_LIBS)

# Each harness fuzzes for FUZZ_SECONDS, one after the other; all run even
# when one fails, and the target fails if any did.
fuzz: $(FUZZ_PROGS)
	@fail=0; \
	for name in $(FUZZ_NAMES); do \
	  work=test/fuzz/work/$$name; \
	  rm -rf $$work/artifacts; \
	  $(MKDIR_P) $$work/corpus $$work/artifacts || exit 1; \
	  cp $(top_srcdir)/test/fuzz/corpus/$$name/* $$work/corpus/ || exit 1; \
	  chmod u+w $$work/corpus/*; \
	  dict=; \
	  if test -f $(top_srcdir)/test/fuzz/$$name.dict; then \
	    dict=-dict=$(top_srcdir)/test/fuzz/$$name.dict; fi; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s (log: $$work/fuzz.log)"; \
	  if test/fuzz/fuzz_$$name $(FUZZ_RUN_FLAGS) $$dict \
	      -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	      -artifact_prefix=$$work/artifacts/ $$work/corpus >$$work/fuzz.log 2>&1; then \
	    grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' $$work/fuzz.log | tail -n 1; \
	    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
	      $$work/fuzz.log; \
	  else \
	    fail=1; \
	    grep -E 'ERROR|SUMMARY|runtime error|assertion failed|^ +#[0-9]+ ' \
	      $$work/fuzz.log | head -n 40; \
	    $(MKDIR_P) test/fuzz/crashes/$$name; \
	    for f in $$work/artifacts/*; do \
	      test -f "$$f" || continue; \
	      cp "$$f" test/fuzz/crashes/$$name/; \
	      echo "fuzz: $$name FAILED on test/fuzz/crashes/$$name/`basename $$f`"; \
	      echo "  reproduce: test/fuzz/fuzz_$$name test/fuzz/crashes/$$name/`basename $$f`"; \
	    done; \
	    echo "  once fixed, add it to $(top_srcdir)/test/fuzz/corpus/$$name/ as a regression"; \
	  fi; \
	done; \
	test $$fail = 0

fuzz-regress: $(FUZZ_PROGS)
	@fail=0; \
	for name in $(FUZZ_NAMES); do \
	  log=test/fuzz/regress-$$name.log; \
	  if test/fuzz/fuzz_$$name $(FUZZ_RUN_FLAGS) \
	      $(top_srcdir)/test/fuzz/corpus/$$name/* >$$log 2>&1; then \
	    echo "fuzz-regress: $$name: `grep -c '^Executed' $$log` inputs ok"; \
	  else \
	    fail=1; cat $$log; echo "fuzz-regress: $$name FAILED"; \
	  fi; \
	done; \
	test $$fail = 0

fuzz-build: $(FUZZ_PROGS)

fuzz-list:
	@echo $(FUZZ_NAMES)

fuzz-clean:
	-rm -rf $(FUZZ_PROGS) test/fuzz/work test/fuzz/crashes test/fuzz/regress-*.log

clean-local: fuzz-clean

.PHONY: fuzz fuzz-regress fuzz-build fuzz-list fuzz-clean
