#include "keepalive-l7/options.h"
int supervisor_main(const struct kl7_opts *o);
