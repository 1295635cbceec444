# SPDX-License-Identifier: GPL-2.0
# The WebSocket frame counter's tests (kmod/wsparse.h), included by Makefile.
#
#   make check-ws       test_ws, then fuzz_ws for FUZZ_SECONDS (10) if clang
#                       has libFuzzer ("# SKIP" otherwise); TAP either way
#   make fuzz-ws        build fuzz_ws (FUZZ_CC, clang by default)
#   make fuzz           fuzz for FUZZ_SECONDS (60); new inputs and crashes
#                       go to FUZZ_WORK, the seeds stay as they are
#   make corpus-ws      rewrite the seeds in corpus/ws from test_ws's streams
#
# A crash is reproduced with "./fuzz_ws FILE"; make it a test_ws stream.

FUZZ_CC ?= clang
FUZZ_WORK ?= ../../build/fuzz-ws
WS_CORPUS := corpus/ws
WS_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -O1 -g -Wall -Wextra -Werror -std=gnu11 -Ishim -I.. \
	-fsanitize=fuzzer $(WS_SANITIZE)

all: test_ws

test_ws: test_ws.c tap.h ws_same.h ../wsparse.h $(SHIM)
	$(CC) $(CFLAGS) $(WS_SANITIZE) -o $@ $<

fuzz-ws: fuzz_ws

fuzz_ws: fuzz_ws.c ws_same.h ../wsparse.h $(SHIM)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $<

# ws_fuzz SECONDS: one TAP line for a fuzzing run, its log on failure
define ws_fuzz
	mkdir -p $(FUZZ_WORK)/corpus $(FUZZ_WORK)/crashes; \
	if ./fuzz_ws -max_total_time=$(1) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_WORK)/crashes/ \
		$(FUZZ_WORK)/corpus $(WS_CORPUS) > $(FUZZ_WORK)/log 2>&1; then \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' \
			$(FUZZ_WORK)/log); \
		echo "ok 1 - fuzz_ws: $$runs inputs in $(1) s, cut-invariant"; \
	else \
		echo "not ok 1 - fuzz_ws: failed, inputs in $(FUZZ_WORK)/crashes"; \
		grep -v '^#' $(FUZZ_WORK)/log | tail -n 30 | sed 's/^/# /'; \
		exit 1; \
	fi
endef

ws_have_libfuzzer = echo 'int LLVMFuzzerTestOneInput(const char *d, long n) \
	{ return d[0] + n; }' | $(FUZZ_CC) -fsanitize=fuzzer -x c \
	-o /dev/null - > /dev/null 2>&1

check-ws: FUZZ_SECONDS ?= 10
check-ws: test_ws
	./test_ws
	@if $(ws_have_libfuzzer); then \
		$(MAKE) --no-print-directory -s fuzz_ws && \
		$(call ws_fuzz,$(FUZZ_SECONDS)); \
	else \
		echo "ok 1 - fuzz_ws # SKIP no libFuzzer"; \
	fi

fuzz: FUZZ_SECONDS ?= 60
fuzz: fuzz_ws
	@$(call ws_fuzz,$(FUZZ_SECONDS))

corpus-ws: test_ws
	mkdir -p $(WS_CORPUS)
	rm -f $(WS_CORPUS)/seed-*
	./test_ws --corpus $(WS_CORPUS)

clean: clean-ws

clean-ws:
	rm -f test_ws fuzz_ws

.PHONY: check-ws fuzz-ws fuzz corpus-ws clean-ws
