#!/usr/bin/env python3
"""Spec traceability: where every spec id is defined, cited and tested.

spec/README.md promises that a grep for an id finds its text, its code and its tests, and
that every id the code cites is defined in the spec. This script checks that promise:

* Areas are the id prefixes in the last column of spec/README.md's index table (KS-, SRV-, ...).
* An id is `AREA-NNN` (two or three digits, e.g. `RAT-007`, `A-36`) or a requirements check id
  `REQ-n.name` (e.g. `REQ-2.offline`). A range `KS-010..KS-015` or `STO-001..004` cites every
  id between its ends.
* An id is *defined* by a spec file (spec/*.md, spec/vectors/README.md) where it is written in
  bold (`**KS-010**`, `**ENV-005 (new) — withdrawn.**`), as the first cell of a table row
  (`| ERR-004 |`, `| REQ-2.offline |`) or as the head of a contract.md item (`- CRY-001 ...`).
* It is *cited* wherever else it appears: code (reference/, simulator/), tests (tests/ and the
  vector files spec/vectors/*.json, which tests/vectors runs), fuzzers (fuzz/), models
  (models/), benchmarks (bench/) and the spec text itself.

It fails (exit 1) on
  1. an id cited in code but never in tests (the untested rule; check ids `REQ-n.name` are
     exempt because tests/sim/requirements_test.cpp judges every row of their table), unless
     tools/spec_trace_gaps.txt lists it with the reason no test covers it yet;
  2. an id cited anywhere, spec text included, but defined nowhere; and
  3. a stale gap: an id listed in the gaps file that is tested, or no longer cited in code,
     so the list only shrinks.

Usage: spec_trace.py [--root DIR] [--report markdown|json]
The report lists every defined or cited id with the files that cite it, by place.
Standard library only; run by CTest as spec.trace (label lint).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

# Where citations are looked for, by place. Order is the report's column order.
PLACES = {
    "code": ["reference", "simulator"],
    "tests": ["tests"],
    "vectors": ["spec/vectors"],
    "fuzz": ["fuzz"],
    "models": ["models"],
    "bench": ["bench"],
}
TEXT_SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".py", ".sh", ".pml", ".json", ".md", ".txt", ".cmake"}
# A line carrying this mark, and the line after it, cite nothing (a test's deliberately
# unknown id, for instance).
IGNORE_MARK = "spec-trace: ignore"
SKIP_DIRS = {"corpus", "__pycache__", ".git", "build"}


def read_areas(root: Path) -> list[str]:
    """The id prefixes of spec/README.md's index table (its last column, e.g. `SU-, CERT-`)."""
    areas: set[str] = set()
    for line in (root / "spec" / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            areas.update(re.findall(r"\b([A-Z][A-Z0-9]*)-(?=,|$)", cells[-1]))
    if not areas:
        sys.exit("spec_trace: no id areas in the index table of spec/README.md")
    return sorted(areas, key=len, reverse=True)


class IdGrammar:
    def __init__(self, areas: list[str]):
        alt = "|".join(areas)
        one = rf"(?:{alt})-(?:\d{{1,3}}\.[a-z][a-z0-9_]*|\d{{2,3}}(?![\d.]\d))"
        # A range: AREA-NNN..AREA-MMM or AREA-NNN..MMM (same area, plain ids only).
        self.range = re.compile(rf"(?<![\w-])({alt})-(\d{{2,3}})\.\.(?:\1-)?(\d{{2,3}})(?!\d)")
        self.single = re.compile(rf"(?<![\w-])({one})(?![\w-])")
        self.bold = re.compile(rf"\*\*({one})\b")
        self.cell = re.compile(rf"^\|\s*\**({one})\**\s*\|")
        self.item = re.compile(rf"^\s*[-*]\s+\**({one})\b")

    def cited(self, text: str, defined: dict[str, str]) -> set[str]:
        """The ids `text` cites; a range cites the defined ids between its ends (numbering
        has gaps, and a range says nothing about ids that do not exist)."""
        ids: set[str] = set()
        skip = False
        for line in text.splitlines():
            if skip or IGNORE_MARK in line:
                skip = IGNORE_MARK in line
                continue
            for m in self.range.finditer(line):
                width = len(m.group(2))
                lo, hi = int(m.group(2)), int(m.group(3))
                span = (f"{m.group(1)}-{n:0{width}d}" for n in range(lo, hi + 1))
                ids.update(i for i in span if i in defined)
            ids.update(m.group(1) for m in self.single.finditer(line))
        return ids


def is_check_id(ident: str) -> bool:
    return "." in ident


def spec_files(root: Path) -> list[Path]:
    files = sorted((root / "spec").glob("*.md"))
    readme = root / "spec" / "vectors" / "README.md"
    return files + ([readme] if readme.exists() else [])


def collect_definitions(root: Path, grammar: IdGrammar) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Returns (id -> defining file, spec file -> ids its text cites)."""
    defined: dict[str, str] = {}
    texts = {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
             for path in spec_files(root)}
    for rel, text in texts.items():
        for line in text.splitlines():
            found = [m.group(1) for m in grammar.bold.finditer(line)]
            for pattern in (grammar.cell, grammar.item if rel == "spec/contract.md" else None):
                m = pattern.match(line) if pattern else None
                if m:
                    found.append(m.group(1))
            for ident in found:
                defined.setdefault(ident, rel)
    return defined, {rel: grammar.cited(text, defined) for rel, text in texts.items()}


def walk(root: Path, rel_dir: str, exclude: list[str]):
    base = root / rel_dir
    if not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.suffix in TEXT_SUFFIXES or name == "CMakeLists.txt":
                if not any(rel == e or rel.startswith(e + "/") for e in exclude):
                    yield path, rel


def collect_citations(root: Path, grammar: IdGrammar,
                      defined: dict[str, str]) -> dict[str, dict[str, set[str]]]:
    """id -> place -> files citing it."""
    cites: dict[str, dict[str, set[str]]] = {}
    for place, dirs in PLACES.items():
        for rel_dir in dirs:
            # The vectors place holds the vector files; its README is spec text. tests/lint
            # tests this tool on made-up ids.
            exclude = {"vectors": ["spec/vectors/README.md"], "tests": ["tests/lint"]}.get(place, [])
            for path, rel in walk(root, rel_dir, exclude):
                try:
                    text = path.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    continue
                for ident in grammar.cited(text, defined):
                    cites.setdefault(ident, {}).setdefault(place, set()).add(rel)
    return cites


GAPS_FILE = "tools/spec_trace_gaps.txt"


def read_gaps(root: Path) -> dict[str, str]:
    """id -> reason, from `ID  reason` lines (# starts a comment line)."""
    gaps: dict[str, str] = {}
    path = root / GAPS_FILE
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                ident, _, reason = line.strip().partition(" ")
                gaps[ident] = reason.strip()
    return gaps


def analyse(root: Path) -> dict:
    grammar = IdGrammar(read_areas(root))
    defined, spec_cites = collect_definitions(root, grammar)
    cites = collect_citations(root, grammar, defined)
    for rel, ids in spec_cites.items():
        for ident in ids:
            cites.setdefault(ident, {}).setdefault("spec", set()).add(rel)
    rows = []
    for ident in sorted(set(defined) | set(cites), key=sort_key):
        places = cites.get(ident, {})
        tested = bool(places.get("tests") or places.get("vectors"))
        rows.append({
            "id": ident,
            "defined_in": defined.get(ident),
            "cited": {p: sorted(places.get(p, ())) for p in [*PLACES, "spec"] if places.get(p)},
            "tested": tested,
        })
    undefined = [r["id"] for r in rows if r["defined_in"] is None]
    gaps = read_gaps(root)
    lacking = [r["id"] for r in rows
               if "code" in r["cited"] and not r["tested"] and not is_check_id(r["id"])]
    untested = [i for i in lacking if i not in gaps]
    stale_gaps = sorted(i for i in gaps if i not in lacking)
    plain = [r for r in rows if r["defined_in"] and not is_check_id(r["id"])]
    summary = {
        "defined": len([r for r in rows if r["defined_in"]]),
        "defined_statement_ids": len(plain),
        "cited_in_code": len([r for r in plain if "code" in r["cited"]]),
        "tested": len([r for r in plain if r["tested"]]),
        "code_and_tested": len([r for r in plain if "code" in r["cited"] and r["tested"]]),
    }
    summary["known_gaps"] = len(gaps) - len(stale_gaps)
    return {"summary": summary, "ids": rows, "untested": untested, "undefined": undefined,
            "gaps": {i: gaps[i] for i in sorted(gaps, key=sort_key) if i not in stale_gaps},
            "stale_gaps": stale_gaps}


def sort_key(ident: str):
    area, _, rest = ident.partition("-")
    num, _, check = rest.partition(".")
    return (area, int(num), check)


def markdown(result: dict) -> str:
    out = ["| id | defined in | " + " | ".join([*PLACES, "spec"]) + " |",
           "|---|---|" + "---|" * (len(PLACES) + 1)]
    for r in result["ids"]:
        cells = []
        for p in [*PLACES, "spec"]:
            files = r["cited"].get(p, [])
            cells.append(", ".join(Path(f).name for f in files) if files else "")
        gap = " (known gap)" if r["id"] in result["gaps"] else ""
        out.append(f"| {r['id']}{gap} | {r['defined_in'] or '**undefined**'} | "
                   + " | ".join(cells) + " |")
    s = result["summary"]
    out.append("")
    out.append(f"{s['defined']} ids defined ({s['defined_statement_ids']} statement ids), "
               f"{s['cited_in_code']} cited in code, {s['tested']} cited in tests, "
               f"{s['code_and_tested']} cited in both code and tests.")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the tree to check (default: this repository)")
    parser.add_argument("--report", choices=["markdown", "json"],
                        help="print the table of every id and where it is cited")
    args = parser.parse_args(argv)
    result = analyse(args.root.resolve())
    if args.report == "json":
        print(json.dumps(result, indent=2))
    elif args.report == "markdown":
        print(markdown(result))
    for ident in result["untested"]:
        files = ", ".join(result_row(result, ident)["cited"]["code"])
        print(f"spec_trace: {ident} is cited in code ({files}) but in no test", file=sys.stderr)
    for ident in result["undefined"]:
        where = sorted(f for fs in result_row(result, ident)["cited"].values() for f in fs)
        print(f"spec_trace: {ident} is cited ({', '.join(where)}) but defined in no spec file",
              file=sys.stderr)
    for ident in result["stale_gaps"]:
        print(f"spec_trace: {ident} is listed in {GAPS_FILE} but is tested or no longer cited "
              f"in code: remove the line", file=sys.stderr)
    s = result["summary"]
    failed = result["untested"] or result["undefined"] or result["stale_gaps"]
    verdict = "FAIL" if failed else "ok"
    print(f"spec_trace: {verdict}: {s['defined']} ids defined, {s['cited_in_code']} cited in code, "
          f"{s['tested']} tested, {s['known_gaps']} known gaps; {len(result['untested'])} "
          f"untested, {len(result['undefined'])} undefined, {len(result['stale_gaps'])} stale gaps",
          file=sys.stderr)
    return 1 if failed else 0


def result_row(result: dict, ident: str) -> dict:
    return next(r for r in result["ids"] if r["id"] == ident)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
