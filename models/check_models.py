#!/usr/bin/env python3
"""Verify every SPMC Promela model and property with SPIN and compare with the expected outcome.

For each (model, profile, property) row: `spin -a` with the row's -D defines, `cc -O2` into a
temporary build directory (never the source tree), `./pan -a [-f] -N <property>`, parse the
output, and print expected, result, states stored, depth reached, memory (MB) and time (s).
A row passes when the result equals the expectation.  Every violation's trail is replayed
with `spin -t -p` and saved, together with the abstract trace decoded from its `@event` lines
(see models/common/events.pml and models/README.md), in the output directory printed at the
end.  Trace rows check the TRACE_CHECK mode: a trace the model can produce is `accepted`
(the claim `trace_not_consumed` is violated), one it cannot produce is `rejected`.

Exit status: 0 every row passed, 1 some row failed, 2 usage error or missing tool.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import names  # noqa: E402  (the names shared with the simulator, models/names.json)

HERE = os.path.dirname(os.path.abspath(__file__))
PAN_CFLAGS = ["-O2", "-w", "-DVECTORSZ=512"]
# Trace self-checks explore a few dozen states: compile time dominates, so no optimisation.
TRACE_CFLAGS = ["-O0", "-w", "-DVECTORSZ=512"]
PAN_RUN = ["-a", "-w19", "-m20000"]

# (model file, profile label, defines, property, expected, extra pan flags)
# expected: holds | violated; trace rows: accepted | rejected.
ROWS = [
    ("ratchet/ratchet.pml", "any", [], "no_replay_accepted", "holds", []),
    ("ratchet/ratchet.pml", "any", [], "no_key_reuse", "holds", []),
    ("ratchet/ratchet.pml", "any", [], "counter_within_window", "holds", []),
    ("ratchet/ratchet.pml", "any+W3", ["W=3", "N_MSGS=6", "MAX_FORWARD=3", "MAX_SKIPPED=2"],
     "no_replay_accepted", "holds", []),
    ("ratchet/ratchet.pml", "any+NO_FAULTS", ["NO_FAULTS"], "exactly_once_delivery", "holds", ["-f"]),
    ("ratchet/ratchet.pml", "mutant:ACCEPT_OLD", ["MUTANT_ACCEPT_OLD"], "no_replay_accepted", "violated", []),
    ("ratchet/ratchet.pml", "mutant:NO_FORWARD_BOUND", ["MUTANT_NO_FORWARD_BOUND"], "counter_within_window", "violated", []),
    ("key_share/key_share.pml", "any", [], "no_replay_accepted", "holds", []),
    ("key_share/key_share.pml", "any", [], "no_expired_accepted", "holds", []),
    ("key_share/key_share.pml", "mutant:NO_REPLAY_RULE", ["MUTANT_NO_REPLAY_RULE"], "no_replay_accepted", "violated", []),
    ("key_share/key_share.pml", "mutant:NO_EXPIRY_CHECK", ["MUTANT_NO_EXPIRY_CHECK"], "no_expired_accepted", "violated", []),
    ("key_share/key_substitution.pml", "paper", [], "adversary_reads_nothing", "violated", []),
    ("key_share/key_substitution.pml", "paper", [], "no_silent_mitm", "violated", []),
    ("key_share/key_substitution.pml", "hardened", ["PROFILE_HARDENED"], "adversary_reads_nothing", "violated", []),
    ("key_share/key_substitution.pml", "paper+HONEST_CA", ["HONEST_CA"], "adversary_reads_nothing", "holds", []),
    ("key_share/key_substitution.pml", "hardened+HONEST_CA", ["PROFILE_HARDENED", "HONEST_CA"], "adversary_reads_nothing", "holds", []),
    ("group/group.pml", "paper", [], "removed_member_reads_nothing", "violated", []),
    ("group/group.pml", "hardened", ["PROFILE_HARDENED"], "removed_member_reads_nothing", "holds", []),
    ("u2u/u2u.pml", "paper", [], "u2u_detects_mitm", "violated", []),
    ("u2u/u2u.pml", "hardened", ["PROFILE_HARDENED"], "u2u_detects_mitm", "violated", []),
    ("u2u/u2u.pml", "paper", [], "u2u_detects_late_mitm", "violated", []),
    ("u2u/u2u.pml", "hardened", ["PROFILE_HARDENED"], "u2u_detects_late_mitm", "holds", []),
    ("u2u/u2u.pml", "paper", [], "honest_auth_fails", "violated", []),
    ("u2u/u2u.pml", "hardened", ["PROFILE_HARDENED"], "honest_auth_fails", "violated", []),
    ("offline_store/offline_store.pml", "any", [], "exactly_once_delivery", "holds", ["-f"]),
    ("offline_store/offline_store.pml", "any", [], "offline_store_empty_at_quiescence", "holds", ["-f"]),
    ("offline_store/offline_store.pml", "any", [], "deleted_after_delivery", "holds", ["-f"]),
    ("offline_store/offline_store.pml", "mutant:DELETE_ON_PUSH", ["MUTANT_DELETE_ON_PUSH"], "deleted_after_delivery", "violated", ["-f"]),
    ("offline_store/offline_store.pml", "mutant:DELETE_ON_PUSH", ["MUTANT_DELETE_ON_PUSH"], "exactly_once_delivery", "violated", ["-f"]),
    ("offline_store/offline_store.pml", "mutant:NO_DEDUP", ["MUTANT_NO_DEDUP"], "exactly_once_delivery", "violated", ["-f"]),
]

# Trace-conformance self-checks (DESIGN.md section 4): (model, name, events, expected).
# Events are (kind, a, b, x) in the alphabet of common/events.pml.
TRACES = [
    ("ratchet/ratchet.pml", "valid_reordered_with_loss", [
        ("msg_send", "A", "B", 0), ("msg_send", "A", "B", 1), ("msg_deliver", "B", "A", 1),
        ("msg_deliver", "B", "A", 0), ("msg_send", "A", "B", 2), ("msg_send", "A", "B", 3),
        ("msg_drop", "net", "B", 2), ("msg_deliver", "B", "A", 3),
    ], "accepted"),
    # 2 - next(0) >= MAX_FORWARD (2): the model rejects the message, so accepting it is
    # not a behaviour of the model.
    ("ratchet/ratchet.pml", "deliver_beyond_forward_bound", [
        ("msg_send", "A", "B", 0), ("msg_send", "A", "B", 1), ("msg_drop", "net", "B", 0),
        ("msg_send", "A", "B", 2), ("msg_deliver", "B", "A", 2),
    ], "rejected"),
    ("ratchet/ratchet.pml", "replay_accepted_twice", [
        ("msg_send", "A", "B", 0), ("msg_dup", "net", "B", 0), ("msg_deliver", "B", "A", 0),
        ("msg_deliver", "B", "A", 0),
    ], "rejected"),
    ("ratchet/ratchet.pml", "replay_rejected", [
        ("msg_send", "A", "B", 0), ("msg_dup", "net", "B", 0), ("msg_deliver", "B", "A", 0),
        ("msg_reject", "B", "A", 0),
    ], "accepted"),
    ("ratchet/ratchet.pml", "deliver_before_send", [
        ("msg_deliver", "B", "A", 0), ("msg_send", "A", "B", 0),
    ], "rejected"),
    ("key_share/key_share.pml", "forged_key_share", [
        ("keyshare_accept", "B", "A", 1),
    ], "rejected"),
    ("key_share/key_share.pml", "offline_recipient_then_replay", [
        ("keyshare_send", "A", "B", 1), ("msg_send", "A", "B", 0), ("clock_tick", "net", "net", 2),
        ("keyshare_accept", "B", "A", 1), ("msg_deliver", "B", "A", 0), ("keyshare_reject", "B", "A", 1),
    ], "accepted"),
]

# A property that states a simulator invariant carries the invariant's name (models/names.json,
# models/README.md "Property names"); these state something no simulator invariant judges.
MODEL_ONLY_PROPERTIES = {
    "counter_within_window": "the RAT-007 bound inside the receiver; the simulator counts the "
                             "refusals it causes, no invariant judges the derivation",
    "no_expired_accepted": "KS-014 lifetimes; the simulator refuses expired envelopes (rejects) "
                           "but has no invariant of its own for them",
    "no_silent_mitm": "adversary_reads_nothing while the recipient reads too: the scenario shape "
                      "replayed by models.counterexample",
    "u2u_detects_late_mitm": "u2u_detects_mitm restricted to a substitution after the opt-in; "
                             "the simulator's server_mitm substitutes before it",
    "honest_auth_fails": "non-vacuity of the U2U model (its violation is the honest success "
                         "the simulator's u2u_honest_authenticates checks)",
    "deleted_after_delivery": "SRV-011 deletion order inside the store; the simulator judges "
                              "the end state (offline_store_empty_at_quiescence)",
}


def check_property_names(rows=None):
    """Every property checked is a simulator invariant or a declared model-only property."""
    unknown = sorted({r[3] for r in (rows or ROWS)} - set(names.INVARIANTS)
                     - set(MODEL_ONLY_PROPERTIES))
    if unknown:
        raise RuntimeError("model properties %s are neither simulator invariants "
                           "(models/names.json) nor in MODEL_ONLY_PROPERTIES" % unknown)


def read_alphabet():
    """Event and principal names from common/events.pml, checked against models/names.json
    (the simulator's table, `spmc names --json`): the two must agree code for code."""
    text = open(os.path.join(HERE, "common", "events.pml")).read()
    kinds, principals = {}, {}
    for m in re.finditer(r"#define EV_\w+\s+(\d+)\s+/\*\s*(\w+)\(", text):
        kinds[int(m.group(1))] = m.group(2)
    for name, num in re.findall(r"#define (NET|PA|PB|PC|SRV)\s+(\d+)", text):
        principals[int(num)] = {"NET": "net", "PA": "A", "PB": "B", "PC": "C", "SRV": "S"}[name]
    if ({v: k for k, v in kinds.items()} != names.ABSTRACT_EVENTS
            or {v: k for k, v in principals.items()} != names.PRINCIPALS):
        raise RuntimeError("common/events.pml and models/names.json disagree on the abstract "
                           "alphabet; change both together (models/README.md)")
    return kinds, principals


# Events whose argument x names a principal (whose key or whose hash), not a number.
PRINCIPAL_ARG = names.events("cert_issue", "u2u_hash_send", "u2u_hash_recv", "u2u_auth_send")


def decode_events(text, kinds, principals):
    out = []
    for m in re.finditer(r"@event (\d+) (\d+) (\d+) (-?\d+)", text):
        k, a, b, x = (int(g) for g in m.groups())
        name = kinds.get(k, "ev%d" % k)
        arg = principals.get(x, str(x)) if name in PRINCIPAL_ARG else str(x)
        out.append("%s(%s,%s,%s)" % (name, principals.get(a, a), principals.get(b, b), arg))
    return out


def run(cmd, cwd, timeout=120):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout


def prepare(build, model, defines, extra_files=None, cflags=PAN_CFLAGS):
    """Copy the models tree into a fresh build dir, run spin -a and compile pan."""
    if os.path.exists(build):
        shutil.rmtree(build)
    os.makedirs(os.path.dirname(build), exist_ok=True)
    shutil.copytree(HERE, build, ignore=shutil.ignore_patterns(
        "*.trail", "pan", "pan.*", "__pycache__", "counterexamples", "*.py", "CMakeLists.txt"))
    mdir = os.path.join(build, os.path.dirname(model))
    for name, content in (extra_files or {}).items():
        with open(os.path.join(build, "common", name), "w") as f:
            f.write(content)
    dflags = ["-D" + d for d in defines]
    rc, out = run(["spin", "-a"] + dflags + [os.path.basename(model)], mdir)
    if rc != 0:
        raise RuntimeError("spin -a failed for %s %s:\n%s" % (model, defines, out))
    rc, out = run(["cc"] + cflags + ["-o", "pan", "pan.c"], mdir)
    if rc != 0:
        raise RuntimeError("cc failed for %s %s:\n%s" % (model, defines, out))
    return mdir, dflags


def parse_pan(out):
    def grab(pattern, conv=float, default=None):
        m = re.search(pattern, out)
        return conv(m.group(1)) if m else default
    return {
        "errors": grab(r"errors: (\d+)", int, -1),
        "states": grab(r"(\d+) states, stored", int, 0),
        "depth": grab(r"depth reached (\d+)", int, 0),
        "memory_mb": grab(r"([\d.]+)\s+total actual memory usage", float, 0.0),
        "complete": "search not completed" not in out and "max search depth too small" not in out,
    }


_built = {}


def verify(build, row, cex_dir, kinds, principals):
    """Rows sharing (model, defines) share one pan binary, in build/<n>/."""
    model, profile, defines, prop, expected, flags = row
    key = (model, tuple(defines))
    if key not in _built:
        _built[key] = prepare(os.path.join(build, str(len(_built))), model, defines)
    mdir, dflags = _built[key]
    trail_path = os.path.join(mdir, os.path.basename(model) + ".trail")
    if os.path.exists(trail_path):
        os.remove(trail_path)
    t0 = time.monotonic()
    rc, out = run(["./pan"] + PAN_RUN + flags + ["-N", prop], mdir)
    elapsed = time.monotonic() - t0
    r = parse_pan(out)
    result = "violated" if r["errors"] > 0 else ("holds" if r["errors"] == 0 and r["complete"]
                                                 else "incomplete")
    row_out = {"model": model, "profile": profile, "property": prop, "expected": expected,
               "result": result, "states": r["states"], "depth": r["depth"],
               "memory_mb": r["memory_mb"], "time_s": round(elapsed, 3),
               "pass": result == expected, "counterexample": None}
    trail = os.path.join(mdir, os.path.basename(model) + ".trail")
    if result == "violated" and os.path.exists(trail):
        name = "%s_%s_%s" % (os.path.splitext(os.path.basename(model))[0],
                             re.sub(r"[^A-Za-z0-9]+", "_", profile), prop)
        shutil.copy(trail, os.path.join(cex_dir, name + ".trail"))
        _, replay = run(["spin", "-t", "-p"] + dflags + [os.path.basename(model)], mdir)
        events = decode_events(replay, kinds, principals)
        path = os.path.join(cex_dir, name + ".txt")
        with open(path, "w") as f:
            f.write("# counterexample: %s  profile=%s  property=%s  defines=%s\n"
                    % (model, profile, prop, " ".join(dflags) or "(none)"))
            f.write("# abstract trace (models/README.md alphabet):\n")
            for i, e in enumerate(events):
                f.write("#   %2d %s\n" % (i + 1, e))
            f.write("# spin -t -p replay:\n")
            f.write(replay)
        row_out["counterexample"] = path
    return row_out


def trace_header(events):
    kinds, principals = read_alphabet()
    knum = {v: k for k, v in kinds.items()}
    pnum = {v: k for k, v in principals.items()}
    fills = []
    for i, (k, a, b, x) in enumerate(events):
        fills.append("tr_events[%d].k = %d; tr_events[%d].a = %d; tr_events[%d].b = %d; tr_events[%d].x = %d"
                     % (i, knum[k], i, pnum[a], i, pnum[b], i, x))
    return "#define TRACE_LEN %d\n#define TRACE_FILL %s\n" % (len(events), "; ".join(fills))


def check_trace(build, trace):
    model, name, events, expected = trace
    mdir, _ = prepare(os.path.join(build, "trace"), model, ["TRACE_CHECK"], {"trace.h": trace_header(events)},
                      TRACE_CFLAGS)
    t0 = time.monotonic()
    rc, out = run(["./pan"] + PAN_RUN + ["-N", "trace_not_consumed"], mdir)
    elapsed = time.monotonic() - t0
    r = parse_pan(out)
    result = "accepted" if r["errors"] > 0 else ("rejected" if r["complete"] else "incomplete")
    return {"model": model, "profile": "trace:" + name, "property": "trace_not_consumed",
            "expected": expected, "result": result, "states": r["states"], "depth": r["depth"],
            "memory_mb": r["memory_mb"], "time_s": round(elapsed, 3),
            "pass": result == expected, "counterexample": None}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--out", help="directory for counterexamples (default: a new temp dir)")
    ap.add_argument("--only", help="run only rows whose model path contains this string")
    ap.add_argument("--no-traces", action="store_true", help="skip the trace self-checks")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    for tool in ("spin", "cc"):
        if shutil.which(tool) is None:
            print("check_models: %s not found" % tool, file=sys.stderr)
            return 2
    out_dir = args.out or tempfile.mkdtemp(prefix="spmc-models-")
    cex_dir = os.path.join(out_dir, "counterexamples")
    os.makedirs(cex_dir, exist_ok=True)
    build = os.path.join(out_dir, "build")
    rows = []
    try:
        check_property_names()
        kinds, principals = read_alphabet()
        for row in ROWS:
            if args.only and args.only not in row[0]:
                continue
            rows.append(verify(build, row, cex_dir, kinds, principals))
        if not args.no_traces:
            for trace in TRACES:
                if args.only and args.only not in trace[0]:
                    continue
                rows.append(check_trace(build, trace))
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("check_models: %s" % e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(build, ignore_errors=True)
    all_pass = all(r["pass"] for r in rows)
    _, ver = run(["spin", "-V"], HERE)
    if args.json:
        print(json.dumps({"spin": ver.strip(), "rows": rows, "all_pass": all_pass,
                          "counterexample_dir": cex_dir}, indent=1))
    else:
        hdr = "%-32s %-36s %-26s %-9s %-10s %8s %6s %8s %7s  %s" % (
            "model", "profile", "property", "expected", "result", "states", "depth",
            "mem_MB", "time_s", "")
        print(hdr)
        for r in rows:
            print("%-32s %-36s %-26s %-9s %-10s %8d %6d %8.1f %7.3f  %s" % (
                r["model"], r["profile"], r["property"], r["expected"], r["result"],
                r["states"], r["depth"], r["memory_mb"], r["time_s"],
                "PASS" if r["pass"] else "FAIL"))
        print("counterexamples: %s" % cex_dir)
        print("%d/%d rows pass" % (sum(r["pass"] for r in rows), len(rows)))
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
