#!/usr/bin/env python3
"""Trace conformance test: simulator runs against the ratchet model, and mutants of them.

usage: conformance_test.py SPMC_BINARY [--out DIR] [--max-msgs N]

For each (scenario, seed) in RUNS: `spmc sim SCENARIO --seed S --abstract FILE`, then
models/check_trace.py must report ACCEPTED for the abstract trace (cut to the first N
messages).  Each accepted trace is then mutated five ways, and each mutant must be REJECTED:
  drop          remove the send of a message that is delivered later (a delivery without a send)
  swap          swap a send with the delivery of the same message right after it (or, when
                no such pair is adjacent, two adjacent sends: counters out of order)
  forge_replay  a second delivery of an already delivered counter (a replay accepted)
  forge_unsent  a delivery of a counter that was never sent (the trace before the last send)
  reject_fresh  the first delivery of a counter replaced by a refusal of it
A trace with no delivery would make the acceptance vacuous and fails the test.

Exit status: 0 every check as expected, 1 some check not, 2 usage error.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import check_trace as ct  # noqa: E402
from check_trace import MSG_DELIVER, MSG_REJECT, MSG_SEND  # noqa: E402  (models/names.json)

# Faulty scenarios: lossy (drops, duplicates, reordering), the default (faults in the
# safety phase), partition and churn (offline recipients).
# partition seed 1 has three messages of the pair in flight at once (B cut off);
# churn seed 3 has two (B offline).
# partition seed 1 has a sender's retried relay (msg_dup) and the replay it causes
# (msg_reject); attacks/replay (a server pushing relayed envelopes again, a network attacker
# replaying frames) has many.
RUNS = [("simulator/scenarios/lossy.json", 1), ("simulator/scenarios/lossy.json", 2),
        ("simulator/scenarios/lossy.json", 3), ("simulator/scenarios/default.json", 1),
        ("simulator/scenarios/partition.json", 1), ("simulator/scenarios/churn.json", 3),
        ("simulator/scenarios/attacks/replay.json", 1),
        ("simulator/scenarios/attacks/replay_hardened.json", 2)]


def write(path, events):
    with open(path, "w") as f:
        for k, a, b, x in events:
            f.write(json.dumps({"ev": k, "a": a, "b": b, "x": x}) + "\n")


def mut_drop(ev):
    delivered = {e[3] for e in ev if e[0] == MSG_DELIVER}
    for i, e in enumerate(ev):
        if e[0] == MSG_SEND and e[3] in delivered:
            return ev[:i] + ev[i + 1:]
    return None


def mut_swap(ev):
    for i in range(len(ev) - 1):
        if ev[i][0] == MSG_SEND and ev[i + 1][0] == MSG_DELIVER and ev[i][3] == ev[i + 1][3]:
            return ev[:i] + [ev[i + 1], ev[i]] + ev[i + 2:]
    for i in range(len(ev) - 1):
        if ev[i][0] == MSG_SEND and ev[i + 1][0] == MSG_SEND:
            return ev[:i] + [ev[i + 1], ev[i]] + ev[i + 2:]
    return None


def mut_forge_replay(ev):
    for i, e in enumerate(ev):
        if e[0] == MSG_DELIVER:
            return ev[:i + 1] + [e] + ev[i + 1:]
    return None


def mut_forge_unsent(ev):
    """The trace up to the last send, then a delivery of that (now never sent) counter.

    (Cutting rather than appending counter max + 1 keeps the forged event inside the
    checker's --max-msgs window.)"""
    last = max((i for i, e in enumerate(ev) if e[0] == MSG_SEND), default=None)
    if last is None:
        return None
    return ev[:last] + [(MSG_DELIVER, "B", "A", ev[last][3])]


def mut_reject_fresh(ev):
    """The first delivery of a counter turned into a refusal: the model refuses only
    replays and counters outside the window, never a first copy."""
    for i, e in enumerate(ev):
        if e[0] == MSG_DELIVER:
            return ev[:i] + [(MSG_REJECT, e[1], e[2], e[3])] + ev[i + 1:]
    return None


MUTATIONS = [("drop", mut_drop), ("swap", mut_swap), ("forge_replay", mut_forge_replay),
             ("forge_unsent", mut_forge_unsent), ("reject_fresh", mut_reject_fresh)]


def check(path, max_msgs):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, os.path.join(HERE, "check_trace.py"), "ratchet", path,
                        "--max-msgs", str(max_msgs)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    verdict = {0: "ACCEPTED", 1: "REJECTED"}.get(p.returncode, "ERROR")
    return verdict, time.monotonic() - t0, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spmc", help="path to the spmc binary")
    ap.add_argument("--out", help="directory for traces (default: a new temp dir)")
    ap.add_argument("--max-msgs", type=int, default=6)
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    if not os.access(args.spmc, os.X_OK):
        print("conformance_test: %s is not executable" % args.spmc, file=sys.stderr)
        return 2
    out = args.out or tempfile.mkdtemp(prefix="spmc-conformance-")
    os.makedirs(out, exist_ok=True)
    ok, counts, times = True, {"ACCEPTED": 0, "REJECTED": 0, "ERROR": 0}, []

    def expect(path, want, label):
        nonlocal ok
        verdict, secs, text = check(path, args.max_msgs)
        counts[verdict] += 1
        times.append(secs)
        good = verdict == want
        ok = ok and good
        print("%-4s %-44s expected %-8s got %-8s %5.1f s" % ("ok" if good else "FAIL", label,
                                                             want, verdict, secs))
        if not good:
            print(text)
        return good

    for scenario, seed in RUNS:
        name = "%s_seed%d" % (os.path.splitext(os.path.basename(scenario))[0], seed)
        path = os.path.join(out, name + ".abstract.jsonl")
        p = subprocess.run([args.spmc, "sim", os.path.join(ROOT, scenario), "--seed", str(seed),
                            "--abstract", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=600)
        if p.returncode not in (0, 1) or not os.path.exists(path):
            print("FAIL %s: spmc sim exited %d\n%s" % (name, p.returncode, p.stdout))
            ok = False
            continue
        events = ct.ratchet_cut(ct.load_trace(path), args.max_msgs)
        if not any(e[0] == MSG_DELIVER for e in events):
            print("FAIL %s: no delivery in the abstract trace (vacuous)" % name)
            ok = False
            continue
        if not expect(path, "ACCEPTED", "%s (%d events)" % (name, len(events))):
            continue
        for mname, mutate in MUTATIONS:
            mutant = mutate(events)
            if mutant is None:
                print("FAIL %s: mutation %s not applicable" % (name, mname))
                ok = False
                continue
            mpath = os.path.join(out, "%s.%s.jsonl" % (name, mname))
            write(mpath, mutant)
            expect(mpath, "REJECTED", "%s %s" % (name, mname))
    print("accepted %d, rejected %d, errors %d; %d checks, mean %.1f s, max %.1f s; traces in %s"
          % (counts["ACCEPTED"], counts["REJECTED"], counts["ERROR"], len(times),
             sum(times) / max(1, len(times)), max(times or [0]), out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
