/* Command-line options of keepalive-l7(8). */
#ifndef KL7_OPTIONS_H
#define KL7_OPTIONS_H

#include <stdbool.h>

/* Which children to run: -P and -C pick one, the default runs all. */
#define KL7_CHILD_VRRP	0x1u
#define KL7_CHILD_CHECK	0x2u
#define KL7_CHILD_L7	0x4u
#define KL7_CHILD_ALL	(KL7_CHILD_VRRP | KL7_CHILD_CHECK | KL7_CHILD_L7)

#define DEFAULT_PIDFILE	RUNSTATEDIR "/keepalive-l7.pid"

struct kl7_opts {
	const char	*conf_file;	/* in quick mode, a name for messages */
	char		*conf_text;	/* quick mode (--listen): the config, built */
	const char	*pidfile;
	const char	*config_id;	/* @ID lines */
	bool		 foreground;	/* -n */
	bool		 console;	/* -l */
	bool		 detail;	/* -D */
	bool		 config_test;	/* -t */
	bool		 dump_conf;	/* --dump-conf */
	bool		 list_keywords;	/* --list-keywords */
	unsigned	 children;	/* KL7_CHILD_* */
};

#endif
