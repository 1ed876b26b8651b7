#!/usr/bin/env python3
"""Share of a simulator run spent in crypto (sim_crypto_share), from callgrind.

Usage: sim_crypto_share.py [--scenario FILE] [--seed N] [--spmc BIN] [--out FILE]
                           [--callgrind-out FILE] [--reuse]

Runs `valgrind --tool=callgrind BIN sim FILE --seed N` (default: the bench preset's
build/bench/simulator/spmc on simulator/scenarios/bench_1k.json, seed 1) and reads the raw
callgrind file (call edges with inclusive costs, which callgrind_annotate's flat listing
does not give per caller). The measure is executed instructions (Ir), a proxy for time.

Crypto is every function in libcrypto++ (named or not) or namespace CryptoPP (templates are
instantiated in our binary too), in namespace spmc::crypto (the
facade, including its AES-NI code), and spmc::Rng / spmc::DeterministicRng (the injected
CSPRNG, a Hash_DRBG). Its cost is the sum, over every call edge from a non-crypto caller
into a crypto callee, of that edge's inclusive cost: nested facade calls (pke_seal calling
aes_gcm_seal, hkdf calling hmac) are crypto-to-crypto edges and are never added twice, and
what crypto calls out to (malloc, memcpy) is inside the inclusive cost. The one way to count
twice is crypto -> non-crypto -> crypto; the script sums such re-entries and prints them
as the uncertainty (0 when none).

Entry edges whose caller is simulator code (a name containing spmc::sim::: the trace's
running SHA-256, seed derivation, seeding the phones' DRBGs) are the simulator's own
bookkeeping, not the protocol's, and are reported apart: `value` (sim_crypto_share) is
protocol crypto / whole run; `all_crypto_share` includes the simulator's hashing too.
Writes one JSON object to --out (default build/bench/sim_crypto_share.json) and prints it.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
NAME_RE = re.compile(r"^\((\d+)\)(?: (.*))?$")


class Names:
    """callgrind's name compression: "(id) name" defines, "(id)" refers back."""

    def __init__(self):
        self.by_id = {}

    def get(self, text):
        m = NAME_RE.match(text)
        if not m:
            return text
        if m.group(2) is not None:
            self.by_id[m.group(1)] = m.group(2)
        return self.by_id.get(m.group(1), text)


def parse(path):
    """Self cost per function, inclusive cost per call edge, object per function, total."""
    obs, fns = Names(), Names()
    self_cost, edges, fn_ob = {}, {}, {}
    cur_ob = cur_fn = call_ob = call_fn = None
    pending_call = False
    total = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            head = line[0]
            if head.isdigit() or head in "+-*":
                cost = int(line.split()[1]) if len(line.split()) > 1 else 0
                if pending_call:
                    key = (cur_fn, call_fn)
                    edges[key] = edges.get(key, 0) + cost
                    fn_ob.setdefault(call_fn, call_ob)
                    pending_call = False
                    call_ob = cur_ob  # cob= holds for one call only
                else:
                    self_cost[cur_fn] = self_cost.get(cur_fn, 0) + cost
                continue
            key, _, val = line.partition("=")
            if key == "ob":
                cur_ob = obs.get(val)
            elif key == "fn":
                cur_fn = fns.get(val)
                fn_ob[cur_fn] = cur_ob
                call_ob = cur_ob
            elif key == "cob":
                call_ob = obs.get(val)
            elif key == "cfn":
                call_fn = fns.get(val)
            elif key == "calls":
                pending_call = True
            elif line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    if total is None:
        total = sum(self_cost.values())
    return self_cost, edges, fn_ob, total


def is_crypto(fn, ob):
    if ob and "libcrypto++" in os.path.basename(ob):
        return True
    # Crypto++ templates are instantiated in our binary too (Hash_DRBG, HKDF), thunks included.
    for prefix in ("non-virtual thunk to ", "virtual thunk to "):
        fn = fn[len(prefix):] if fn.startswith(prefix) else fn
    return fn.startswith(("CryptoPP::", "spmc::crypto::", "spmc::Rng::",
                          "spmc::DeterministicRng::"))


def measure(path):
    self_cost, edges, fn_ob, total = parse(path)
    crypto = {fn for fn, ob in fn_ob.items() if is_crypto(fn, ob)}
    protocol = simulator = 0
    by_entry = {}
    for (caller, callee), cost in edges.items():
        if callee in crypto and caller not in crypto:
            if "spmc::sim::" in caller:
                simulator += cost
            else:
                protocol += cost
                by_entry[callee] = by_entry.get(callee, 0) + cost
    # crypto -> non-crypto -> crypto: the inner entry would be counted inside the outer one.
    called_from_crypto = {b for (a, b) in edges if a in crypto and b not in crypto}
    reentry = sum(c for (a, b), c in edges.items() if a in called_from_crypto and b in crypto)
    self_in_crypto = sum(c for fn, c in self_cost.items() if fn in crypto)
    top = sorted(by_entry.items(), key=lambda kv: -kv[1])[:12]
    return {
        "ratio": "sim_crypto_share",
        "value": round(protocol / total, 4),
        "all_crypto_share": round((protocol + simulator) / total, 4),
        "simulator_hashing_share": round(simulator / total, 4),
        "crypto_self_share": round(self_in_crypto / total, 4),
        "reentry_share": round(reentry / total, 4),
        "total_ir": total,
        "top_entries": [{"fn": fn, "share": round(c / total, 4)} for fn, c in top],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default=os.path.join(ROOT, "simulator/scenarios/bench_1k.json"))
    ap.add_argument("--seed", default="1")
    ap.add_argument("--spmc", default=os.path.join(ROOT, "build/bench/simulator/spmc"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build/bench/sim_crypto_share.json"))
    ap.add_argument("--callgrind-out", default=os.path.join(ROOT, "build/bench/callgrind.sim.out"))
    ap.add_argument("--reuse", action="store_true", help="parse an existing --callgrind-out")
    a = ap.parse_args()
    if not a.reuse:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={a.callgrind_out}",
               a.spmc, "sim", a.scenario, "--seed", a.seed]
        print("running:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    result = measure(a.callgrind_out)
    result["scenario"] = os.path.basename(a.scenario)
    result["seed"] = int(a.seed)
    result["target"] = 0.75
    result["target_at"] = "10k phones"
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
