#!/usr/bin/env python3
"""Self-test of tools/spec_trace.py: it passes the fixture tree tests/lint/fixtures/spec_trace
and fails each of its rules on a copy broken in exactly that way, so the check is seen to
fail both ways (an untested id, an undefined id, a stale entry of the gaps file). Run by CTest as spec.trace_selftest (label lint)."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOL = HERE.parent.parent / "tools" / "spec_trace.py"
FIXTURE = HERE / "fixtures" / "spec_trace"


def run(root: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, str(TOOL), "--root", str(root), "--report", "json"],
                          capture_output=True, text=True, check=False)
    return done.returncode, done.stderr


def broken(edit) -> tuple[int, str]:
    """Runs the tool on a copy of the fixture tree after `edit(copy_root)`."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tree"
        shutil.copytree(FIXTURE, root)
        edit(root)
        return run(root)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: fixture lacks {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def main() -> int:
    failures = []

    def expect(name: str, result: tuple[int, str], code: int, needle: str) -> None:
        rc, err = result
        if rc != code or needle not in err:
            failures.append(f"{name}: exit {rc} (want {code}), stderr lacks {needle!r}:\n{err}")

    test_file = Path("tests/unit/ratchet_test.cpp")
    expect("clean tree passes", run(FIXTURE), 0, "0 untested, 0 undefined")
    # Rule 1: the code cites RAT-002 (through the range RAT-001..RAT-002), no test does.
    expect("untested id fails",
           broken(lambda r: replace(r / test_file, "Proves: RAT-002", "Proves: nothing")),
           1, "RAT-002 is cited in code (reference/src/ratchet.cpp) but in no test")
    # Rule 2: a test cites an id that no spec file defines ...
    expect("undefined id in a test fails",
           broken(lambda r: replace(r / test_file, "Proves: RAT-002", "Proves: RAT-002, RAT-003")),
           1, "RAT-003 is cited (tests/unit/ratchet_test.cpp) but defined in no spec file")
    # ... or the code cites a check id the spec's table does not have ...
    expect("undefined check id in code fails",
           broken(lambda r: replace(r / "reference/src/ratchet.cpp", "REQ-1.bounded", "REQ-1.unbounded")),
           1, "REQ-1.unbounded is cited (reference/src/ratchet.cpp) but defined in no spec file")
    # ... and a definition that loses its bold no longer defines the id.
    expect("withdrawn definition fails",
           broken(lambda r: replace(r / "spec/ratchet.md", "**RAT-002 (new)**", "RAT-002")),
           1, "RAT-002 is cited (")
    # The ignore mark is what keeps REQ-9.nothing out: without it the tree fails.
    expect("ignore mark is needed",
           broken(lambda r: replace(r / test_file, ", spec-trace: ignore", "")),
           1, "REQ-9.nothing is cited (tests/unit/ratchet_test.cpp) but defined in no spec file")
    # A listed gap excuses exactly that id, and a gap that is no longer one fails.
    def gap(root: Path, ident: str) -> None:
        (root / "tools").mkdir(exist_ok=True)
        (root / "tools" / "spec_trace_gaps.txt").write_text(f"{ident}  a reason\n", encoding="utf-8")

    expect("listed gap passes",
           broken(lambda r: (replace(r / test_file, "Proves: RAT-002", "Proves: nothing"),
                             gap(r, "RAT-002"))),
           0, "1 known gaps; 0 untested")
    expect("stale gap fails", broken(lambda r: gap(r, "RAT-001")),
           1, "RAT-001 is listed in tools/spec_trace_gaps.txt but is tested")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"spec_trace self-test: {8 - len(failures)}/8 cases as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
