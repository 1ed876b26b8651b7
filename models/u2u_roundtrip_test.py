#!/usr/bin/env python3
"""Round trip of the U2U SPIN counterexample into the simulator (issue 16, item 8).

usage: u2u_roundtrip_test.py SPMC_BINARY [--out DIR]

SPIN finds that the hardened profile violates u2u_detects_mitm in u2u/u2u.pml when the
server substitutes both keys before the opt-in (A-36;
u2u/counterexamples/u2u_hardened_u2u_detects_mitm.txt). The simulator scenario
simulator/scenarios/attacks/u2u_mitm_hardened.json (adversary server_mitm) is that attack as
a run; attacks/u2u_mitm.json is the same under paper. For each profile and seeds 1..3 this
test
  1. runs the scenario (`spmc sim ... --abstract FILE`, projection make_u2u_projection) and
     requires its verdict to pass, i.e. exactly the declared violations occur
     (u2u_detects_mitm among them);
  2. requires the projected trace to be ACCEPTED by the model (check_trace.py u2u, --profile
     as the run's);
  3. requires the run to be the trail's attack: the trail's two forged certificates, then
     the opt-in, and a successful authentication (the step that violates u2u_detects_mitm);
  4. moves the two cert_issue events after the opt-in hashes are stored (a substitution
     after an honest opt-in): hardened must REJECT it (u2u_detects_late_mitm holds, the
     fingerprints bound by U2U-010 expose it), paper must ACCEPT it (nothing binds them).
The trail itself must be ACCEPTED by the model as well (the decoding is sound).
Exit status: 0 every check as expected, 1 some check not, 2 usage error.
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import check_trace as ct  # noqa: E402
import counterexample_roundtrip_test as rt  # noqa: E402  (trail_events, write, verdict)
import names  # noqa: E402

TRAIL = os.path.join(HERE, "u2u", "counterexamples", "u2u_hardened_u2u_detects_mitm.txt")
CERT_ISSUE, OPTIN, HASH_RECV, AUTH_OK = (names.event(n) for n in (
    "cert_issue", "u2u_optin", "u2u_hash_recv", "u2u_auth_ok"))


def late_substitution(events):
    """The cert_issue events moved to right after the last u2u_hash_recv."""
    certs = [e for e in events if e[0] == CERT_ISSUE]
    rest = [e for e in events if e[0] != CERT_ISSUE]
    last = max((i for i, e in enumerate(rest) if e[0] == HASH_RECV), default=None)
    if last is None or not certs:
        return None
    return rest[:last + 1] + certs + rest[last + 1:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spmc", help="path to the spmc binary")
    ap.add_argument("--out", help="directory for traces (default: a new temp dir)")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    out = args.out or tempfile.mkdtemp(prefix="spmc-u2u-roundtrip-")
    os.makedirs(out, exist_ok=True)
    checks = rt.Checks()
    report = checks.report

    trail = rt.trail_events(TRAIL)
    path = os.path.join(out, "trail.abstract.jsonl")
    rt.write(path, trail)
    got, text = rt.verdict(path, "hardened", "u2u")
    report(len(trail) >= 6 and got == "ACCEPTED",
           "the trail %s (%d events) is ACCEPTED by u2u (hardened)"
           % (os.path.basename(TRAIL), len(trail)), text)
    for profile, scenario in (("hardened", "u2u_mitm_hardened"), ("paper", "u2u_mitm")):
        for seed in (1, 2, 3):
            name = "%s_seed%d" % (scenario, seed)
            path = os.path.join(out, name + ".abstract.jsonl")
            p = rt.run_attack(args.spmc, scenario, seed, path)
            report(p.returncode == 0, "%s: spmc sim passes its declared expectation" % name,
                   p.stdout)
            events = ct.load_trace(path)
            got, text = rt.verdict(path, profile, "u2u")
            report(got == "ACCEPTED", "%s: %d events ACCEPTED by u2u (%s)"
                   % (name, len(events), profile), text)
            same = (sorted(events[:3]) == sorted(trail[:3]) and AUTH_OK in [e[0] for e in events])
            report(same, "%s: the run is the trail's attack (forged certificates, opt-in, "
                   "an authentication that succeeds)" % name,
                   "run:   %s\ntrail: %s" % (events, trail))
            late = late_substitution(events)
            mpath = os.path.join(out, name + ".late_substitution.jsonl")
            if late is None:
                report(False, "%s: no hash exchange to move the substitution after" % name)
                continue
            rt.write(mpath, late)
            got, text = rt.verdict(mpath, profile, "u2u")
            want = "REJECTED" if profile == "hardened" else "ACCEPTED"
            report(got == want, "%s: mutant 'substitution after the opt-in' %s" % (name, want),
                   text)
    print("traces in %s" % out)
    return 0 if checks.ok else 1


if __name__ == "__main__":
    sys.exit(main())
