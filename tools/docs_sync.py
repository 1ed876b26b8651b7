#!/usr/bin/env python3
"""The generated parts of the docs agree with the code (issue 23, "Docs that match").

usage: docs_sync.py SPMC_BINARY [--write] [--root DIR]

Each block below sits between a begin and an end marker in its file and is the output of a
hidden `spmc docs` subcommand: the scenario defaults table of simulator/scenarios/SCHEMA.md
(from the parser's own default values and default.json) and the command synopsis of
README.md (from each subcommand's CLI11 options). Without --write, exit 1 and print a diff
when a block differs from the program's output (CTest docs.generated); with --write,
rewrite the blocks. --root checks another copy of the tree (the self-test's). Exit 2 on a
usage error or a missing marker.
"""
import difflib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# (file, `spmc docs` subcommand, fence: the block is wrapped in a code fence)
BLOCKS = [
    ("simulator/scenarios/SCHEMA.md", "defaults", False),
    ("README.md", "synopsis", True),
]


def markers(name):
    return ("<!-- begin generated: spmc docs %s (tools/docs_sync.py --write) -->" % name,
            "<!-- end generated: spmc docs %s -->" % name)


def main():
    args = sys.argv[1:]
    write = "--write" in args
    args = [a for a in args if a != "--write"]
    root = ROOT
    if "--root" in args and args.index("--root") + 1 < len(args):
        at = args.index("--root")
        root = args[at + 1]
        del args[at:at + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    failures = []
    for rel, name, fence in BLOCKS:
        p = subprocess.run([args[0], "docs", name], stdout=subprocess.PIPE, text=True, timeout=60)
        if p.returncode != 0:
            failures.append("spmc docs %s exited %d" % (name, p.returncode))
            continue
        body = ("```\n" + p.stdout + "```\n") if fence else p.stdout
        path = os.path.join(root, rel)
        text = open(path).read()
        begin, end = markers(name)
        if begin not in text or end not in text:
            print("%s: missing the markers of the generated %s block" % (rel, name),
                  file=sys.stderr)
            return 2
        head, rest = text.split(begin + "\n", 1)
        current, tail = rest.split(end, 1)
        if current == body:
            continue
        if write:
            open(path, "w").write(head + begin + "\n" + body + end + tail)
            print("rewrote the %s block of %s" % (name, rel))
        else:
            diff = "".join(difflib.unified_diff(current.splitlines(True), body.splitlines(True),
                                                rel, "spmc docs " + name))
            failures.append("%s: the %s block is not `spmc docs %s`; regenerate it with "
                            "python3 tools/docs_sync.py SPMC --write:\n%s" % (rel, name, name, diff))
    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("docs: generated blocks match the program")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
