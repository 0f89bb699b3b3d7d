"""Evaluate a Python expression over a keepalive-l7 state dump.

Usage: state_cond.py [-v] DUMP.json EXPR

In EXPR, j is the whole dump, rs(VS, RS) a record of "servers" and vs(VS)
one of "virtual_servers" (addresses as "192.0.2.1:80").  Exit 0 if EXPR is
true, 1 if false, 2 if it cannot be evaluated; -v prints its value.
"""
import json
import sys

verbose = len(sys.argv) > 1 and sys.argv[1] == "-v"
if verbose:
    del sys.argv[1]
with open(sys.argv[1]) as f:
    j = json.load(f)


def rs(v, r):
    for s in j["servers"]:
        if s["virtual_server"] == v and s["real_server"] == r:
            return s
    raise KeyError("no server %s %s" % (v, r))


def vs(v):
    for s in j["virtual_servers"]:
        if s["virtual_server"] == v:
            return s
    raise KeyError("no virtual server %s" % v)


try:
    r = eval(sys.argv[2])
except Exception as e:
    print("error: %r" % e)
    sys.exit(2)
if verbose:
    print(json.dumps(r))
sys.exit(0 if r else 1)
