#!/usr/bin/env python3
"""Draw t_ha.sh's results as a bar chart (python3-matplotlib).

    ha_chart.py RESULTS.tsv OUT.png

RESULTS.tsv: one line per scenario, "TITLE<TAB>KEEPALIVE_L7_MS<TAB>
KEEPALIVED_HAPROXY_MS".  The gap axis is logarithmic: the scenarios range
from a few ms to seconds.
"""
import sys

try:
    import matplotlib
except ImportError:
    sys.exit("no python3-matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(tsv, png):
    titles, kl7, ka = [], [], []
    with open(tsv) as f:
        for line in f:
            t, a, b = line.rstrip("\n").split("\t")
            titles.append(t)
            kl7.append(max(int(a), 1))
            ka.append(max(int(b), 1))
    y = range(len(titles))
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(titles) + 1.5))
    ax.barh([i - 0.2 for i in y], kl7, 0.4, label="keepalive-l7")
    ax.barh([i + 0.2 for i in y], ka, 0.4, label="keepalived + HAProxy")
    ax.set_yticks(list(y))
    ax.set_yticklabels(titles)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("longest client-visible gap (ms, log scale)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: ha_chart.py RESULTS.tsv OUT.png")
    sys.exit(main(sys.argv[1], sys.argv[2]))
