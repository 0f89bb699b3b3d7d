/* The SHA-256 of the main config file, as the control socket's status
 * shows it: which file version the running model was read from. */
#ifndef KL7_CONF_HASH_H
#define KL7_CONF_HASH_H

#define CONF_HASH_HEX	65	/* 64 hex digits and a NUL */

/* Hash path into hex; on error hex is "" and -1 comes back (errno set). */
int	conf_hash_file(const char *path, char hex[CONF_HASH_HEX]);
/* The same for a config held in memory (quick mode). */
int	conf_hash_text(const char *text, char hex[CONF_HASH_HEX]);

#endif
