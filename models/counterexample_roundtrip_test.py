#!/usr/bin/env python3
"""Round trip of a SPIN counterexample into the simulator (issue 5, models/README.md).

usage: counterexample_roundtrip_test.py SPMC_BINARY [--out DIR]

SPIN finds that the paper profile violates no_silent_mitm in key_share/key_substitution.pml
(counterexamples/key_substitution_paper_no_silent_mitm.txt). The simulator scenario
simulator/scenarios/attacks/key_substitution.json is that trail as a run: the malicious
server certifies its own keys, opens A's key share, re-seals it to B and reads A's messages
while B reads them too. For each profile and seeds 1..3 this test
  1. runs the scenario (`spmc sim ... --abstract FILE`) and requires its verdict to pass,
     i.e. exactly the declared violations occur (adversary_reads_nothing is the simulator's
     name for the model's adversary_reads_nothing);
  2. requires the projected trace to be ACCEPTED by the model (check_trace.py
     key_substitution, --profile as the run's);
  3. for paper, requires the trace to be the counterexample's trail event for event, except
     that the run also forges A's signing certificate (cert_issue(S,A,S) where the trail
     has cert_issue(S,A,A): paper ignores signatures, so both are runs of the model);
  4. rejects two mutants: the server reading A's message without having opened the share,
     and (hardened) B accepting the re-sealed share while it holds A's genuine signing key.
Exit status: 0 every check as expected, 1 some check not, 2 usage error.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import check_trace as ct  # noqa: E402
import names  # noqa: E402  (event names, models/names.json)

TRAIL = os.path.join(HERE, "key_share", "counterexamples",
                     "key_substitution_paper_no_silent_mitm.txt")
PRINCIPAL = {k: v for k, v in names.PRINCIPALS.items() if k != "net"}
CERT_ISSUE, SERVER_READ = names.event("cert_issue"), names.event("server_read")


def trail_events(path=TRAIL):
    """The abstract trace in the counterexample's header: '#    3 keyshare_send(A,B,1)'."""
    events = []
    with open(path) as f:
        for line in f:
            m = re.match(r"#\s+\d+\s+(\w+)\((\w+),(\w+),(\w+)\)", line)
            if m:
                k, a, b, x = m.groups()
                events.append((names.check_event(k), a, b,
                               PRINCIPAL[x] if x in PRINCIPAL else int(x)))
    return events


def write(path, events):
    with open(path, "w") as f:
        for k, a, b, x in events:
            f.write(json.dumps({"ev": k, "a": a, "b": b, "x": x}) + "\n")


def verdict(path, profile, model="key_substitution"):
    p = subprocess.run([sys.executable, os.path.join(HERE, "check_trace.py"), model,
                        path, "--profile", profile], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    return {0: "ACCEPTED", 1: "REJECTED"}.get(p.returncode, "ERROR"), p.stdout


class Checks:
    """Prints one line per check; `ok` is whether every check so far passed."""

    def __init__(self):
        self.ok = True

    def report(self, good, label, detail=""):
        self.ok = self.ok and good
        print("%-4s %s" % ("ok" if good else "FAIL", label))
        if not good and detail:
            print(detail)


def run_attack(spmc, scenario, seed, path):
    """Runs attacks/<scenario>.json with `seed`, writing its abstract trace to `path`."""
    return subprocess.run([spmc, "sim", os.path.join(ROOT, "simulator", "scenarios", "attacks",
                                                     scenario + ".json"),
                           "--seed", str(seed), "--abstract", path],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spmc", help="path to the spmc binary")
    ap.add_argument("--out", help="directory for traces (default: a new temp dir)")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    out = args.out or tempfile.mkdtemp(prefix="spmc-roundtrip-")
    os.makedirs(out, exist_ok=True)
    trail = trail_events()
    if len(trail) < 6:
        print("FAIL: no abstract trace in %s" % TRAIL)
        return 1
    checks = Checks()
    report = checks.report

    for profile, scenario in (("paper", "key_substitution"), ("hardened", "key_substitution_hardened")):
        for seed in (1, 2, 3):
            name = "%s_seed%d" % (scenario, seed)
            path = os.path.join(out, name + ".abstract.jsonl")
            p = run_attack(args.spmc, scenario, seed, path)
            report(p.returncode == 0, "%s: spmc sim passes its declared expectation" % name,
                   p.stdout)
            events = ct.load_trace(path)
            got, text = verdict(path, profile)
            report(got == "ACCEPTED", "%s: %d events ACCEPTED by key_substitution (%s)"
                   % (name, len(events), profile), text)
            if profile == "paper":
                expected = [(CERT_ISSUE, "S", "A", PRINCIPAL["S"]) if e[:3] == (CERT_ISSUE, "S", "A")
                            else e for e in trail]
                same = sorted(events[:2]) == sorted(expected[:2]) and events[2:] == expected[2:]
                report(same, "%s: the run is the SPIN trail %s" % (name, os.path.basename(TRAIL)),
                       "run:   %s\ntrail: %s" % (events, expected))
            no_open = [e for e in events if e != (SERVER_READ, "S", "A", 0)]
            mpath = os.path.join(out, name + ".read_without_share.jsonl")
            write(mpath, no_open)
            got, text = verdict(mpath, profile)
            report(got == "REJECTED", "%s: mutant 'server reads without the share' REJECTED" % name,
                   text)
            if profile == "hardened":
                genuine = [(CERT_ISSUE, "S", "A", PRINCIPAL["A"]) if e[:3] == (CERT_ISSUE, "S", "A")
                           else e for e in events]
                mpath = os.path.join(out, name + ".genuine_signing_key.jsonl")
                write(mpath, genuine)
                got, text = verdict(mpath, profile)
                report(got == "REJECTED",
                       "%s: mutant 'B holds A's genuine signing key' REJECTED" % name, text)
    print("traces in %s" % out)
    return 0 if checks.ok else 1


if __name__ == "__main__":
    sys.exit(main())
