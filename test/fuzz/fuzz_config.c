/* libFuzzer harness: the config lexer and parser (lib/cfg_lex.c,
 * lib/cfg_parse.c and the keyword tables of every block), through
 * conf_load_string() as `keepalive-l7 -t` uses it, with config id "lb1".
 *
 * A load either gives a model (rendered with conf_to_json(), whose text
 * must parse back as JSON) and no errors, or no model and at least one
 * "FILE:LINE: message".  Everything is freed, so leaks show (ASan's
 * LeakSanitizer).
 *
 * `include` lines: the input is named as a file in a directory that does
 * not exist, so relative patterns match nothing.  Inputs that may name an
 * absolute path on an include line are skipped: the fuzzer finds globs
 * like `include /usr/bin/[a-z]*` that read thousands of files (regular
 * files up to 16 MiB each; the lexer refuses FIFOs and devices without
 * opening them), which takes minutes and is no bug.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "keepalive-l7/conf_load.h"
#include "lib/conf.h"
#include "lib/conf_json.h"


#define FUZZ_CONF_NAME	"/nonexistent/keepalive-l7-fuzz/fuzz.conf"

/* True if a line holds "include" and, after it, a '/'. */
static bool
may_include_absolute(const char *text)
{
	const char *s = text, *inc, *eol;

	while ((inc = strstr(s, "include")) != NULL) {
		if ((eol = strchr(inc, '\n')) == NULL)
			eol = inc + strlen(inc);
		if (memchr(inc, '/', (size_t)(eol - inc)) != NULL)
			return true;
		if (*eol == '\0')
			break;
		s = eol + 1;
	}
	return false;
}

static void
check_json(const struct conf *c)
{
	json_object *j = conf_to_json(c), *back;
	const char *text;

	FUZZ_ASSERT(j != NULL);
	text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	FUZZ_ASSERT(text != NULL);
	back = json_tokener_parse(text);
	FUZZ_ASSERT(back != NULL);
	json_object_put(back);
	json_object_put(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs;
	struct conf *c;
	char *text;
	int i;

	/* NUL-terminated, in a buffer of its own so ASan sees overreads. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (may_include_absolute(text)) {
		free(text);
		return 0;
	}

	c = conf_load_string(FUZZ_CONF_NAME, text, "lb1", &errs);
	if (c != NULL) {
		FUZZ_ASSERT(errs.n == 0 && errs.msg == NULL);
		check_json(c);
		conf_free(c);
	} else {
		FUZZ_ASSERT(errs.n > 0 && errs.msg != NULL);
		for (i = 0; i < errs.n; i++)
			FUZZ_ASSERT(errs.msg[i] != NULL && strchr(errs.msg[i], ':') != NULL);
		conf_errors_free(&errs);
	}
	free(text);
	return 0;
}
