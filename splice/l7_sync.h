/* sticky_sync: the l7 child copies its source-persistence entries
 * (persistence_timeout, l7_sticky.c) to the peer node over one TCP link,
 * and takes the peer's, so that a client keeps its server across a
 * failover.  Cookie persistence needs nothing: the cookie names the server.
 *
 * Of the two nodes, the one whose `listen` address (then port) is lower
 * connects to the other's, which listens: one link, no race between two.
 * The link starts with a challenge-response on the shared secret, then
 * every frame carries an HMAC keyed per direction and per connection, over
 * an implicit sequence number: a third party can neither inject, nor
 * replay, nor reorder.  Once up, each side sends its whole table (the
 * resync, also after every reconnect), then what changes: new entries,
 * moves to another server, and refreshes before the peer's copy would
 * expire.  The sender walks its tables with a cursor, a bounded number of
 * slots and frames per wake-up, into a send buffer of fixed size; a peer
 * that does not read for SYNC_SLOW_MS loses the link and gets the table
 * again when it comes back.  Wire format: sync_proto.h, doc/sticky-sync.md.
 */
#ifndef KL7_L7_SYNC_H
#define KL7_L7_SYNC_H

#include <stdbool.h>

struct l7;

/* Start the link if the model has sticky_sync (l7->sync stays NULL
 * otherwise); -1 if out of memory. */
int	l7_sync_open(struct l7 *l7);
/* Close the link and its sockets (idempotent). */
void	l7_sync_close(struct l7 *l7);
/* An entry changed: send it soon. */
void	l7_sync_kick(struct l7 *l7);

#endif
