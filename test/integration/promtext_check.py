#!/usr/bin/env python3
"""A strict checker of the Prometheus text exposition format (0.0.4), for
the metrics tests (stdlib only).

    promtext_check.py [--prefix P] FILE
        Exit 0 if every line of FILE is valid, else print one line per
        error (LINE: why) to stderr and exit 1.  Checked: each line is a
        HELP, a TYPE or a sample (no blank lines, no other comments);
        metric and label names and label-value escapes; values are floats
        as the format spells them; HELP and TYPE at most once per family
        and before its samples; every sample belongs to a family with a
        TYPE, and a family's samples are contiguous; no series twice;
        counters end in _total and are >= 0; histograms have _bucket
        (with le, ascending, cumulative, "+Inf" last and equal to _count),
        _sum and _count for every label set; with --prefix, every name
        starts with P.

    promtext_check.py --value FILE NAME [LABEL=VALUE ...]
        Print the value of the one sample NAME whose labels include the
        given ones (exit 1 if none or several match).
    promtext_check.py --sum FILE NAME [LABEL=VALUE ...]
        The same for the sum of all the matching samples (at least one).
"""
import math
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
FLOAT = re.compile(r"^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                   r"|[+-]?Inf|NaN)$")
HELP = re.compile(r"^# HELP (" + NAME + r") (.*)$")
TYPE = re.compile(r"^# TYPE (" + NAME + r") (counter|gauge|histogram|summary|untyped)$")
SAMPLE_NAME = re.compile(r"^(" + NAME + r")")
LABEL_NAME = re.compile(r"^(" + LABEL + r")=\"")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


class Bad(Exception):
    pass


def parse_float(s):
    if not FLOAT.match(s):
        raise Bad("value %r is not a float" % s)
    return float(s.replace("Inf", "inf"))


def parse_label_value(s, i):
    """s[i] is just past the opening quote; return (value, index past the quote)."""
    out = []
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s) or s[i + 1] not in "\\\"n":
                raise Bad("bad escape in a label value")
            out.append("\n" if s[i + 1] == "n" else s[i + 1])
            i += 2
        elif c == '"':
            return "".join(out), i + 1
        else:
            out.append(c)
            i += 1
    raise Bad("label value not closed")


def parse_sample(line):
    m = SAMPLE_NAME.match(line)
    if not m:
        raise Bad("not a metric name")
    name, i, labels = m.group(1), m.end(), {}
    if i < len(line) and line[i] == "{":
        i += 1
        while line[i:i + 1] != "}":
            lm = LABEL_NAME.match(line[i:])
            if not lm:
                raise Bad("bad label name at column %d" % (i + 1))
            lname = lm.group(1)
            if lname.startswith("__"):
                raise Bad("reserved label name %s" % lname)
            if lname in labels:
                raise Bad("label %s twice" % lname)
            labels[lname], i = parse_label_value(line, i + lm.end())
            if line[i:i + 1] == ",":
                i += 1
            elif line[i:i + 1] != "}":
                raise Bad("expected , or } after label %s" % lname)
        i += 1
    if line[i:i + 1] != " ":
        raise Bad("expected one space before the value")
    fields = line[i + 1:].split(" ")
    if len(fields) not in (1, 2) or "" in fields:
        raise Bad("expected VALUE [TIMESTAMP]")
    value = parse_float(fields[0])
    if len(fields) == 2 and not re.fullmatch(r"-?[0-9]+", fields[1]):
        raise Bad("bad timestamp %r" % fields[1])
    return name, labels, value


def family_of(name, types):
    """The family a sample name belongs to (histogram suffixes stripped)."""
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            if types.get(base) in ("histogram", "summary"):
                return base, suffix
    return name, ""


def check_help(m, helps, seen_samples):
    name, text = m.group(1), m.group(2)
    if name in helps:
        raise Bad("second HELP for %s" % name)
    if name in seen_samples:
        raise Bad("HELP for %s after its samples" % name)
    i = 0
    while i < len(text):
        if text[i] == "\\":
            if text[i + 1:i + 2] not in ("\\", "n"):
                raise Bad("bad escape in HELP text")
            i += 1
        i += 1
    helps.add(name)


def check_type(m, types, seen_samples):
    name, typ = m.group(1), m.group(2)
    if name in types:
        raise Bad("second TYPE for %s" % name)
    if name in seen_samples:
        raise Bad("TYPE for %s after its samples" % name)
    types[name] = typ


def check_histograms(samples, types, errors):
    groups = {}
    for (lineno, name, labels, value) in samples:
        fam, suffix = family_of(name, types)
        if types.get(fam) != "histogram":
            continue
        rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        g = groups.setdefault((fam, rest), {"buckets": [], "sum": None, "count": None,
                                            "line": lineno})
        if suffix == "_bucket":
            if "le" not in labels:
                errors.append("%d: %s without le" % (lineno, name))
                continue
            try:
                g["buckets"].append((parse_float(labels["le"]), value, lineno))
            except Bad as e:
                errors.append("%d: le: %s" % (lineno, e))
        elif "le" in labels:
            errors.append("%d: le on %s" % (lineno, name))
        elif suffix == "_sum":
            g["sum"] = value
        elif suffix == "_count":
            g["count"] = value
        else:
            errors.append("%d: %s: a histogram has only _bucket, _sum and _count" %
                          (lineno, name))
    for (fam, rest), g in groups.items():
        where = "%d: %s%s" % (g["line"], fam, dict(rest))
        b = g["buckets"]
        if not b or not math.isinf(b[-1][0]):
            errors.append("%s: no le=\"+Inf\" bucket last" % where)
            continue
        for (le0, v0, _), (le1, v1, ln) in zip(b, b[1:]):
            if le1 <= le0:
                errors.append("%d: le %s not above %s" % (ln, le1, le0))
            if v1 < v0:
                errors.append("%d: bucket le=%s (%s) below le=%s (%s): not cumulative" %
                              (ln, le1, v1, le0, v0))
        if g["sum"] is None or g["count"] is None:
            errors.append("%s: _sum or _count missing" % where)
        elif g["count"] != b[-1][1]:
            errors.append("%s: _count %s != +Inf bucket %s" % (where, g["count"], b[-1][1]))


def check_line(lineno, line, st, prefix):
    m = HELP.match(line)
    if m:
        check_help(m, st["helps"], st["seen"])
        return
    m = TYPE.match(line)
    if m:
        check_type(m, st["types"], st["seen"])
        return
    if line.startswith("#"):
        raise Bad("a comment that is neither HELP nor TYPE")
    name, labels, value = parse_sample(line)
    fam, _ = family_of(name, st["types"])
    if prefix and not name.startswith(prefix):
        raise Bad("%s does not start with %s" % (name, prefix))
    if fam not in st["types"]:
        raise Bad("sample of %s before (or without) its TYPE" % fam)
    if fam != st["current"] and fam in st["seen"]:
        raise Bad("samples of %s are not contiguous" % fam)
    if st["types"][fam] == "counter":
        if not name.endswith("_total"):
            raise Bad("counter %s does not end in _total" % name)
        if not value >= 0:
            raise Bad("counter %s is %s" % (name, value))
    key = (name, tuple(sorted(labels.items())))
    if key in st["series"]:
        raise Bad("series %s%s twice" % (name, labels))
    st["series"].add(key)
    st["seen"].add(fam)
    st["current"] = fam
    st["samples"].append((lineno, name, labels, value))


def check(text, prefix=""):
    errors = []
    st = {"helps": set(), "types": {}, "seen": set(), "series": set(), "current": None,
          "samples": []}
    if text and not text.endswith("\n"):
        errors.append("the last line does not end in a newline")
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        try:
            if line == "":
                raise Bad("blank line")
            check_line(lineno, line, st, prefix)
        except Bad as e:
            errors.append("%d: %s: %r" % (lineno, e, line[:120]))
    check_histograms(st["samples"], st["types"], errors)
    if not st["samples"]:
        errors.append("no sample")
    return errors, st["samples"]


def main(argv):
    prefix = ""
    if len(argv) >= 4 and argv[1] in ("--value", "--sum"):
        with open(argv[2], encoding="utf-8") as f:
            errors, samples = check(f.read())
        want = dict(a.split("=", 1) for a in argv[4:])
        hits = [v for (_, n, l, v) in samples
                if n == argv[3] and all(l.get(k) == x for k, x in want.items())]
        if len(hits) != 1 and (argv[1] == "--value" or not hits):
            print("%d samples match %s %s" % (len(hits), argv[3], want), file=sys.stderr)
            return 1
        v = sum(hits)
        print(int(v) if v == int(v) else v)
        return 0
    if len(argv) >= 3 and argv[1] == "--prefix":
        prefix = argv[2]
        argv = argv[2:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        errors, samples = check(f.read(), prefix)
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
