#!/usr/bin/env python3
"""Check an abstract trace from the simulator (`spmc sim --abstract FILE`) against a model.

usage: check_trace.py MODEL TRACE_FILE [--max-msgs N] [--keep DIR] [--json]

MODEL is `ratchet` (models/ratchet/ratchet.pml), the model the simulator's projection
targets (models/README.md, "Trace conformance with the simulator"), or `key_substitution`
(models/key_share/key_substitution.pml), the projection of a run under the adversary
server_substitutes_keys, or `u2u` (models/u2u/u2u.pml), the projection of a run under the
adversary server_mitm; --profile hardened compiles these models with PROFILE_HARDENED.  TRACE_FILE holds one
JSON object per line with the keys ev, a, b, x (other keys such as t are ignored).  Only the
events of the first N messages (ratchet counters 0..N-1, default 6) are checked, so that each
check takes about a second; the cut is a projection the model allows (the later sends and
deliveries are simply not part of the checked behaviour).

The trace becomes the model's TRACE_CHECK include (check_models.trace_header), the model's
bounds are derived from the trace (see ratchet_bounds), `spin -a -DTRACE_CHECK` and cc build
pan, and `./pan -a -N trace_not_consumed` decides: a violation means SPIN found a run of the
model that produces the whole trace (ACCEPTED), none means no run does (REJECTED).  For a
rejected trace the claims reach_k give the longest prefix the model can produce.

Exit status: 0 accepted, 1 rejected, 2 usage error, unreadable trace or missing tool.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_models as cm  # noqa: E402  (helpers: prepare, run, parse_pan, trace_header)
import names  # noqa: E402  (the event names, from models/names.json)

MSG_SEND, MSG_DELIVER, MSG_REJECT, MSG_DROP, MSG_DUP, FAULTS_OFF = (
    names.event(n) for n in ("msg_send", "msg_deliver", "msg_reject", "msg_drop", "msg_dup",
                             "faults_off"))
RATCHET_EVENTS = {MSG_SEND, MSG_DELIVER, MSG_REJECT, MSG_DROP, MSG_DUP, FAULTS_OFF}
MAX_SLOTS = 8  # in-flight slots the ratchet model has (DELIVER(0..7))


def load_trace(path):
    events = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            try:
                events.append((names.check_event(obj["ev"]), obj["a"], obj["b"], int(obj["x"])))
            except (KeyError, TypeError, ValueError) as e:
                raise ValueError("line %d: not an abstract event (%s)" % (n, e))
    return events


def ratchet_cut(events, max_msgs):
    """Keep the events of counters < max_msgs (faults_off has no counter and stays)."""
    for e in events:
        if e[0] not in RATCHET_EVENTS:
            raise ValueError("event %s is not in the ratchet model's alphabet" % e[0])
    return [e for e in events if e[0] == FAULTS_OFF or e[3] < max_msgs]


def ratchet_bounds(events):
    """Model bounds that make the model's limits those of the implementation on this trace.

    N_MSGS covers every counter named; MAX_FORWARD and MAX_SKIPPED are the implementation's
    2000 in the contract (RAT-007, RAT-008), which no trace of N_MSGS counters reaches, so
    they are set just above what the trace can need (never binding, as in the
    implementation); W is the largest number of messages in flight (sent, not yet handled
    by a delivery, rejection or drop that consumes the copy); DROPS and DUPS count the fault
    events.  A trace whose counters are out of the model's byte range is a usage error.
    """
    xs = [e[3] for e in events if e[0] != FAULTS_OFF]
    if any(x < 0 or x > 200 for x in xs):
        raise ValueError("counter out of the model's range 0..200")
    n_msgs = max(xs) + 1 if xs else 1
    in_flight, widest, prev = 0, 1, None
    for e in events:
        if e[0] == MSG_SEND:
            in_flight += 1
            widest = max(widest, in_flight)
        elif e[0] in (MSG_DELIVER, MSG_REJECT, MSG_DROP):
            # A handling right after msg_dup of the same counter is the extra copy.
            dup_copy = prev is not None and prev[0] == MSG_DUP and prev[3] == e[3]
            if not dup_copy and in_flight > 0:
                in_flight -= 1
        prev = e
    widest = min(widest, MAX_SLOTS)
    return ["N_MSGS=%d" % n_msgs, "W=%d" % widest, "MAX_FORWARD=%d" % (n_msgs + 1),
            "MAX_SKIPPED=%d" % n_msgs,
            "DROPS=%d" % sum(e[0] == MSG_DROP for e in events),
            "DUPS=%d" % sum(e[0] == MSG_DUP for e in events)]


KEY_SUBSTITUTION_EVENTS = names.events("cert_issue", "keyshare_send", "keyshare_accept",
                                       "server_read", "msg_send", "msg_deliver")


def key_substitution_cut(events, _max_msgs):
    """The model has one key share and one message: the projection already emits no more."""
    for e in events:
        if e[0] not in KEY_SUBSTITUTION_EVENTS:
            raise ValueError("event %s is not in the key_substitution model's alphabet" % e[0])
    return events


U2U_EVENTS = names.events("cert_issue", "u2u_optin", "u2u_hash_send", "u2u_hash_recv",
                          "u2u_auth_send", "u2u_auth_ok", "u2u_auth_fail")


def u2u_cut(events, _max_msgs):
    """One opt-in, one authentication run: the projection emits no more."""
    for e in events:
        if e[0] not in U2U_EVENTS:
            raise ValueError("event %s is not in the u2u model's alphabet" % e[0])
    return events


def no_bounds(_events):
    return []


MODELS = {"ratchet": ("ratchet/ratchet.pml", ratchet_cut, ratchet_bounds),
          "key_substitution": ("key_share/key_substitution.pml", key_substitution_cut, no_bounds),
          "u2u": ("u2u/u2u.pml", u2u_cut, no_bounds)}


def fmt(e):
    return "%s(%s,%s,%d)" % e


def check(model, events, build, profile="paper"):
    """Returns (accepted, longest accepted prefix, seconds for the pan runs, bounds)."""
    path, _, bounds = MODELS[model]
    defines = ["TRACE_CHECK"] + bounds(events)
    if profile == "hardened":
        defines.append("PROFILE_HARDENED")
    claims = " ".join("ltl reach_%d { [] (tpos < %d) }" % (k, k)
                      for k in range(1, len(events) + 1))
    header = cm.trace_header(events) + "#define TRACE_PREFIX_CLAIMS %s\n" % claims
    mdir, _ = cm.prepare(build, path, defines, {"trace.h": header}, cm.TRACE_CFLAGS)
    t0 = time.monotonic()

    def reached(claim):
        _, out = cm.run(["./pan"] + cm.PAN_RUN + ["-N", claim], mdir)
        r = cm.parse_pan(out)
        if r["errors"] == 0 and not r["complete"]:
            raise RuntimeError("pan search incomplete for %s:\n%s" % (claim, out))
        return r["errors"] > 0

    if not events or reached("trace_not_consumed"):
        return True, len(events), time.monotonic() - t0, defines
    lo, hi = 0, len(events) - 1  # prefix lo is reachable (0 trivially), len is not
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if reached("reach_%d" % mid):
            lo = mid
        else:
            hi = mid - 1
    return False, lo, time.monotonic() - t0, defines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="model name: " + ", ".join(sorted(MODELS)))
    ap.add_argument("trace", help="abstract trace, JSON Lines")
    ap.add_argument("--max-msgs", type=int, default=6, help="check counters < N (default 6)")
    ap.add_argument("--keep", help="build directory to keep (default: a removed temp dir)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--profile", default="paper", choices=["paper", "hardened"],
                    help="model profile (key_substitution, u2u: PROFILE_HARDENED)")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    if args.model not in MODELS or args.max_msgs < 1 or args.max_msgs > MAX_SLOTS:
        print("check_trace: unknown model or --max-msgs outside 1..%d" % MAX_SLOTS, file=sys.stderr)
        return 2
    for tool in ("spin", "cc"):
        if shutil.which(tool) is None:
            print("check_trace: %s not found" % tool, file=sys.stderr)
            return 2
    try:
        events = MODELS[args.model][1](load_trace(args.trace), args.max_msgs)
    except (OSError, ValueError) as e:
        print("check_trace: %s: %s" % (args.trace, e), file=sys.stderr)
        return 2
    build = args.keep or tempfile.mkdtemp(prefix="spmc-trace-")
    t0 = time.monotonic()
    try:
        accepted, depth, pan_s, defines = check(args.model, events, os.path.join(build, "b"),
                                                args.profile)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
        print("check_trace: %s" % e, file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(build, ignore_errors=True)
    total = time.monotonic() - t0
    if args.json:
        print(json.dumps({"model": args.model, "events": len(events), "accepted": accepted,
                          "prefix": depth, "defines": defines, "pan_s": round(pan_s, 3),
                          "total_s": round(total, 3)}))
    elif accepted:
        print("ACCEPTED %s: %d events (%s), %.2f s" % (args.model, len(events),
                                                    " ".join(defines[1:]), total))
    else:
        print("REJECTED %s: the model produces the first %d of %d events (%s), %.2f s"
              % (args.model, depth, len(events), " ".join(defines[1:]), total))
        for i, e in enumerate(events[:depth + 1]):
            print("  %3d %s%s" % (i + 1, fmt(e), "   <- no run of the model continues with this"
                                  if i == depth else ""))
    return 0 if accepted else 1


if __name__ == "__main__":
    sys.exit(main())
