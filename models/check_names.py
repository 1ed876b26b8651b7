#!/usr/bin/env python3
"""The names shared between the simulator and the Python tools agree (issue 16, item 4).

usage: check_names.py SPMC_BINARY

Fails (exit 1) when
  - models/names.json differs from `spmc names --json` (regenerate it with
    `spmc names --json > models/names.json` and commit it with the change that renamed);
  - models/common/events.pml and names.json disagree on the abstract alphabet;
  - a property checked by check_models.py is neither a simulator invariant nor declared
    model-only (check_models.MODEL_ONLY_PROPERTIES);
  - a scenario under simulator/scenarios/ expects the violation of an unknown invariant.
Exit status: 0 all agree, 1 some disagree, 2 usage error.
"""
import difflib
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import check_models as cm  # noqa: E402
import names  # noqa: E402


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    failures = []
    p = subprocess.run([sys.argv[1], "names", "--json"], stdout=subprocess.PIPE, text=True,
                       timeout=60)
    committed = open(names.PATH).read()
    if p.returncode != 0:
        failures.append("spmc names --json exited %d" % p.returncode)
    elif p.stdout != committed:
        diff = "".join(difflib.unified_diff(committed.splitlines(True), p.stdout.splitlines(True),
                                            "models/names.json", "spmc names --json"))
        failures.append("models/names.json is not `spmc names --json`; regenerate it:\n" + diff)
    try:
        cm.read_alphabet()
        cm.check_property_names()
    except RuntimeError as e:
        failures.append(str(e))
    for path in sorted(glob.glob(os.path.join(ROOT, "simulator", "scenarios", "**", "*.json"),
                                 recursive=True)):
        expected = json.load(open(path)).get("expected_violations", [])
        unknown = [n for n in expected if n not in names.INVARIANTS]
        if unknown:
            failures.append("%s: expected_violations names unknown invariants %s"
                            % (os.path.relpath(path, ROOT), unknown))
    for f in failures:
        print("FAIL %s" % f)
    if not failures:
        print("ok   names.json, events.pml, model properties and scenarios agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
