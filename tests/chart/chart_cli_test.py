#!/usr/bin/env python3
"""`spmc chart` end to end (issue 21).

usage: chart_cli_test.py SPMC SOURCE_DIR

Charts a real run (spmc sim --seed 3 --trace) and a SPIN counterexample; checks the SVG is
one well-formed <svg> element (xml.etree), that its text names what it should, that the
same input gives the same bytes, that `mscgen -Tsvg` accepts the mscgen output, and that bad
input exits 2 naming file:line.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def run(spmc, *args):
    return subprocess.run([spmc, *args], capture_output=True, text=True, timeout=240)


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


def svg_text(path):
    root = ET.parse(path).getroot()  # raises on malformed XML
    check(root.tag == SVG_NS + "svg", "%s: root element is <svg>" % path)
    return " ".join(t.text or "" for t in root.iter(SVG_NS + "text"))


def main():
    spmc, source = sys.argv[1], sys.argv[2]
    cx = os.path.join(source, "models/key_share/counterexamples/"
                      "key_substitution_paper_adversary_reads_nothing.txt")
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.jsonl")
        r = run(spmc, "sim", "--seed", "3", "--trace", trace)
        check(r.returncode in (0, 1), "spmc sim ran: " + r.stderr)

        # A real run, a window of it.
        out = os.path.join(tmp, "c.svg")
        r = run(spmc, "chart", trace, "--from", "30s", "--to", "31.5s", "--out", out)
        check(r.returncode == 0, "chart of a window exits 0: " + r.stderr)
        text = svg_text(out)
        check("server" in text and "phone " in text, "lifelines are named")
        check("Legend" in text, "the legend is drawn")
        check("msg c=" in text, "application messages are labelled")
        again = os.path.join(tmp, "c2.svg")
        run(spmc, "chart", trace, "--from", "30s", "--to", "31.5s", "--out", again)
        check(open(out, "rb").read() == open(again, "rb").read(), "same input, same bytes")

        # The counterexample, and the two side by side.
        out_cx = os.path.join(tmp, "cx.svg")
        r = run(spmc, "chart", cx, "--out", out_cx)
        check(r.returncode == 0, "chart of a counterexample exits 0: " + r.stderr)
        text = svg_text(out_cx)
        check("VIOLATED: adversary_reads_nothing" in text, "the property is marked violated")
        r = run(spmc, "chart", cx, trace, "--to", "12s", "--out", os.path.join(tmp, "two.svg"))
        check(r.returncode == 0, "side by side exits 0: " + r.stderr)
        svg_text(os.path.join(tmp, "two.svg"))

        # mscgen accepts the mscgen text of both.
        if shutil.which("mscgen") is None:
            print("FAIL: mscgen is not installed (.ci/install-deps)")
            return 1
        for name, args in (("run", [trace, "--from", "30s", "--to", "31s"]), ("cx", [cx])):
            msc = os.path.join(tmp, name + ".msc")
            r = run(spmc, "chart", *args, "--format", "mscgen", "--out", msc)
            check(r.returncode == 0, "mscgen output of %s: %s" % (name, r.stderr))
            r = subprocess.run(["mscgen", "-Tsvg", "-i", msc, "-o", msc + ".svg"],
                               capture_output=True, text=True, timeout=120)
            check(r.returncode == 0, "mscgen accepts the %s chart: %s" % (name, r.stderr))
            ET.parse(msc + ".svg")

        # Bad input: exit 2 with file[:line]: reason.
        bad = os.path.join(tmp, "bad.jsonl")
        with open(trace) as f, open(bad, "w") as g:
            g.write(f.readline())
            g.write("{not json\n")
        cases = [
            ([os.path.join(tmp, "missing.jsonl")], "missing.jsonl: (file): not found"),
            ([bad], "bad.jsonl:2: not JSON"),
            ([trace, "--phones", "99"], "unknown phone 99 (the trace has 32 phones"),
            ([trace, "--from", "9000s"], "empty window"),
            ([trace, "--from", "1.5"], "--from"),
            ([trace, "--conversation", "3"], "--conversation"),
        ]
        for args, message in cases:
            r = run(spmc, "chart", *args)
            check(r.returncode == 2 and message in r.stderr and r.stdout == "",
                  "%s exits 2 with '%s' (got %d: %s)" % (args[1:], message, r.returncode,
                                                          r.stderr))
    print("chart.cli: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
