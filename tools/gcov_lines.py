#!/usr/bin/env python3
"""Line coverage of a --coverage build, merged per source line across translation units.

    gcov_lines.py BUILD_DIR SOURCE_ROOT PREFIX...

Runs gcc's gcov (JSON output) on every .gcno under BUILD_DIR (an object that never ran counts
with zero hits, so code the run never reached stays in the denominator), keeps the source
files under SOURCE_ROOT/PREFIX, and prints for each prefix and in total: lines executed of
lines instrumented. A header line is covered when any translation unit ran it. Needs only gcov
(no gcovr or lcov)."""
import json
import os
import subprocess
import sys
from collections import defaultdict


def gcov_documents(gcno_paths):
    # One gcov process per object directory keeps command lines short; --stdout prints one
    # JSON document per object, each on its own line.
    by_dir = defaultdict(list)
    for path in gcno_paths:
        by_dir[os.path.dirname(path)].append(path)
    for directory, paths in sorted(by_dir.items()):
        out = subprocess.run(["gcov", "--json-format", "--stdout", "--object-directory", directory]
                             + paths, capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.strip():
                yield json.loads(line)


def main():
    build, root, prefixes = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3:]
    gcnos = []
    for dirpath, _, names in os.walk(build):
        gcnos += [os.path.join(dirpath, n) for n in names if n.endswith(".gcno")]
    hits = defaultdict(dict)  # file -> line -> covered
    for doc in gcov_documents(sorted(gcnos)):
        cwd = doc.get("current_working_directory", build)
        for f in doc["files"]:
            path = os.path.realpath(os.path.join(cwd, f["file"]))
            rel = os.path.relpath(path, root)
            if not any(rel.startswith(p.rstrip("/") + "/") for p in prefixes):
                continue
            for line in f["lines"]:
                n = line["line_number"]
                hits[rel][n] = hits[rel].get(n, False) or line["count"] > 0
    total_hit = total = 0
    for p in prefixes:
        files = [r for r in hits if r.startswith(p.rstrip("/") + "/")]
        hit = sum(sum(v.values()) for r in files for v in [hits[r]])
        lines = sum(len(hits[r]) for r in files)
        total_hit += hit
        total += lines
        print(f"{p}: {hit} of {lines} lines ({100.0 * hit / max(lines, 1):.1f} %), {len(files)} files")
    print(f"total: {total_hit} of {total} lines ({100.0 * total_hit / max(total, 1):.1f} %)")


if __name__ == "__main__":
    main()
