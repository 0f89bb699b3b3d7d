/* keepalive-l7: command line, config test and dump, then the supervisor. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf_json.h"
#include "lib/log.h"
#include "keepalive-l7/conf_load.h"
#include "keepalive-l7/options.h"
#include "keepalive-l7/quick.h"
#include "keepalive-l7/supervisor.h"

#define DEFAULT_CONF	SYSCONFDIR "/keepalive-l7/keepalive-l7.conf"

enum { OPT_DUMP_CONF = 256, OPT_VERSION, OPT_LIST_KEYWORDS, OPT_LISTEN };

#define QUICK_NAME	"(--listen)"	/* quick mode's config in messages */

/* What the command line asked for besides the options themselves. */
struct cmdline {
	struct kl7_opts	*o;
	char		**listen;	/* quick mode's --listen ADDR:PORT */
	int		  nlisten;
	bool		  file_given;	/* -f */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: keepalive-l7 [-f FILE] [-n] [-l] [-D] [-p PIDFILE] [-i ID] [-P|-C]\n"
	    "       keepalive-l7 -t [-f FILE] [-i ID]\n"
	    "       keepalive-l7 --dump-conf [-f FILE] [-i ID]\n"
	    "       keepalive-l7 [-n] [-l] [-p PIDFILE] --listen ADDR:PORT HOST=ADDR:PORT...\n"
	    "  -f, --use-file FILE    configuration file (default " DEFAULT_CONF ")\n"
	    "  -n, --dont-fork        stay in the foreground\n"
	    "  -l, --log-console      log to stderr as well as syslog\n"
	    "  -D, --log-detail       log debug detail\n"
	    "  -p, --pid PIDFILE      pid file (default " DEFAULT_PIDFILE ")\n"
	    "  -i, --config-id ID     keep `@ID` lines (default: first label of the host name)\n"
	    "  -t, --config-test      check the configuration and exit 0 (valid) or 1\n"
	    "  -P, --vrrp             run only the VRRP child\n"
	    "  -C, --check            run only the health-check child\n"
	    "      --dump-conf        print the validated configuration as JSON\n"
	    "      --list-keywords    print every configuration keyword\n"
	    "      --listen ADDR:PORT quick mode, no config file: proxy HTTP by Host\n"
	    "                         header to the servers of HOST=ADDR:PORT arguments\n"
	    "                         (HOST: a name, *.suffix, or * for the others)\n"
	    "      --version          print the version\n"
	    "  -h, --help             this text\n");
}

static void
add_listen(struct cmdline *cl, char *arg)
{
	char **l = realloc(cl->listen, (size_t)(cl->nlisten + 1) * sizeof(*l));

	if (l == NULL) {
		perror("keepalive-l7");
		exit(1);
	}
	l[cl->nlisten++] = arg;
	cl->listen = l;
}

/* Quick mode: the arguments left after the options are HOST=ADDR:PORT. */
static void
build_quick_config(struct cmdline *cl, char **maps, int nmaps)
{
	char err[512];

	if (cl->file_given) {
		fprintf(stderr, "keepalive-l7: --listen and -f exclude each other\n");
		exit(2);
	}
	cl->o->conf_text = quick_config(cl->listen, cl->nlisten, maps, nmaps, err, sizeof(err));
	if (cl->o->conf_text == NULL) {
		fprintf(stderr, "keepalive-l7: %s\n", err);
		exit(2);
	}
	cl->o->conf_file = QUICK_NAME;
	free(cl->listen);
}

static void
parse_args(int argc, char **argv, struct kl7_opts *o)
{
	struct cmdline cl = { .o = o };
	static const struct option longopts[] = {
		{ "use-file", required_argument, NULL, 'f' },
		{ "dont-fork", no_argument, NULL, 'n' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "pid", required_argument, NULL, 'p' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "config-test", no_argument, NULL, 't' },
		{ "vrrp", no_argument, NULL, 'P' },
		{ "check", no_argument, NULL, 'C' },
		{ "dump-conf", no_argument, NULL, OPT_DUMP_CONF },
		{ "list-keywords", no_argument, NULL, OPT_LIST_KEYWORDS },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "f:nlDp:i:tPCh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->conf_file = optarg; cl.file_given = true; break;
		case 'n': o->foreground = true; break;
		case 'l': o->console = true; break;
		case 'D': o->detail = true; break;
		case 'p': o->pidfile = optarg; break;
		case 'i': o->config_id = optarg; break;
		case 't': o->config_test = true; break;
		case 'P': o->children = KL7_CHILD_VRRP; break;
		case 'C': o->children = KL7_CHILD_CHECK; break;
		case OPT_DUMP_CONF: o->dump_conf = true; break;
		case OPT_LIST_KEYWORDS: o->list_keywords = true; break;
		case OPT_LISTEN: add_listen(&cl, optarg); break;
		case OPT_VERSION:
			printf("keepalive-l7 %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (cl.nlisten > 0) {
		build_quick_config(&cl, argv + optind, argc - optind);
		return;
	}
	if (optind != argc) {
		fprintf(stderr, "keepalive-l7: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
}

static void
print_keyword(const char *parent, const struct cfg_kw *kw, void *arg)
{
	printf("%s%s%s%s\n", parent, *parent ? " " : "", kw->name,
	    kw->kind == CFG_UNSUPPORTED ? " (unsupported)" : "");
}

/* -t and --dump-conf: load, report, exit. */
static int
check_config(const struct kl7_opts *o)
{
	struct conf_errors errs;
	struct conf *c = conf_load_opts(o, &errs);

	if (c == NULL) {
		conf_errors_print(&errs, stderr);
		fprintf(stderr, "%s: %d error%s\n", o->conf_file, errs.n, errs.n == 1 ? "" : "s");
		conf_errors_free(&errs);
		return 1;
	}
	if (o->dump_conf) {
		json_object *j = conf_to_json(c);

		printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		fprintf(stderr, "%s: configuration is valid\n", o->conf_file);
	}
	conf_free(c);
	return 0;
}

int
main(int argc, char **argv)
{
	struct kl7_opts o = {
		.conf_file = DEFAULT_CONF,
		.pidfile = DEFAULT_PIDFILE,
		.children = KL7_CHILD_ALL,
	};
	char host[256];
	int rc;

	parse_args(argc, argv, &o);
	if (o.config_id == NULL)
		o.config_id = conf_default_id(host, sizeof(host));
	if (o.list_keywords) {
		cfg_walk(conf_root_kws, print_keyword, NULL);
		return 0;
	}
	if (o.config_test || o.dump_conf) {
		rc = check_config(&o);
	} else {
		log_init("keepalive-l7", o.console || o.foreground, o.detail);
		rc = supervisor_main(&o);
	}
	free(o.conf_text);
	return rc;
}
