#!/usr/bin/env python3
"""Turn spmc_bench's Google Benchmark JSON into the Markdown figure table and the ratios.

Usage: report.py results.json [more.json ...] [--crypto sim_crypto_share.json]. Reads the
median of every benchmark (run with repetitions) and its fastest repetition,
prints a Markdown table (items/s, ns/item, cycles/item) and a ratio table, then one JSON
line per ratio: {"ratio": NAME, "value": X}. Ratios use figures of the same run only.

cycles/item = ns/item x probe GHz, where the probe (BM_ClockProbe) is a chain of dependent
adds, one cycle each. Both are taken from CPU time (Google Benchmark's items/s), not wall
time: on a shared 2-core box wall time counts other processes' slices too.

BM_SimWorld/<phones> (sim_bench.cpp) gets its own table from its counters (wall seconds,
events/s, messages/s, peak RSS per phone and per contact pair). sim_crypto_share comes from
the file bench/sim_crypto_share.py writes (--crypto), a callgrind measurement.
"""
import json
import sys


def medians(doc):
    """Median of the repetitions per benchmark, plus its fastest repetition ("best")."""
    out, best = {}, {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") != "median":
                continue
        elif "items_per_second" in b:
            best[name] = max(best.get(name, 0.0), b["items_per_second"])
        # Aggregates follow their repetitions in the file, so the median overwrites them.
        if name.startswith("BM_SimWorld/"):
            out[name] = dict(b, items_per_second=None)
        elif "items_per_second" in b:
            out[name] = {"items_per_second": b.get("items_per_second"),
                         "label": b.get("label", "")}
    for name, ips in best.items():
        if name in out and out[name]["items_per_second"]:
            out[name]["best_items_per_second"] = ips
    return out


# (name, numerator, denominator, meaning, target or None)
RATIOS = [
    ("chain_vs_aesni_limit", "BM_RatchetSend/128", "BM_AesniChainLimit/128",
     "reference ratchet (SendChain::next, AES-128) / AES-NI sequential chain limit", 0.9),
    ("chain_vs_aesni_four_slot_limit", "BM_RatchetSend/128", "BM_AesniFourSlotLimit/128",
     "reference ratchet / AES-NI limit of the ratchet's 4 independent slots", None),
    ("chain256_vs_aesni_limit", "BM_RatchetSend/256", "BM_AesniChainLimit/256",
     "reference ratchet AES-256 / AES-NI sequential chain limit AES-256", None),
    ("receive_vs_aesni_limit", "BM_RatchetReceive/128", "BM_AesniChainLimit/128",
     "ReceiveChain::accept in order / AES-NI sequential chain limit", None),
    ("batch_vs_interleaved_limit", "@best_batch_64", "@best_interleaved",
     "best batch API at 64 sessions (max of step_many and SendBatch) / best interleaved limit "
     "(VAES-512 if present, else AES-NI 8)", 0.7),
    ("send_batch_vs_interleaved_limit", "BM_RatchetSendBatch/64", "@best_interleaved",
     "SendBatch::step_all, 64 sessions / best interleaved limit", None),
    ("step_many_vs_interleaved_limit", "BM_RatchetStepMany/64", "@best_interleaved",
     "step_many, 64 sessions / best interleaved limit", None),
    ("send_batch256_vs_interleaved_limit", "BM_RatchetSendBatch/256", "@best_interleaved",
     "SendBatch::step_all, 256 sessions / best interleaved limit", None),
    ("send_batch_vs_step_many", "BM_RatchetSendBatch/64", "BM_RatchetStepMany/64",
     "SendBatch::step_all / step_many, 64 sessions", None),
    ("batch_vs_aesni8_limit", "BM_RatchetStepMany/64", "BM_AesniInterleavedLimit/128",
     "step_many, 64 sessions / AES-NI 8-lane interleaved limit", None),
    ("batch_vs_one_by_one", "BM_RatchetStepMany/64", "BM_RatchetSessionsOneByOne/64",
     "step_many, 64 sessions / the same sessions stepped with next()", None),
    ("chain_vs_openssl", "BM_RatchetSend/128", "BM_OpensslRatchetStep/128",
     "reference ratchet / the same ratchet through OpenSSL EVP", None),
    ("chain_vs_cryptopp", "BM_RatchetSend/128", "BM_RatchetStepCryptopp/128",
     "reference ratchet (AES-NI path) / the Crypto++ path", None),
    ("ratchet_vs_hmac_chain", "BM_RatchetSend/128", "BM_HmacChainStep",
     "AES ratchet step / Signal HMAC-SHA256 chain step", None),
    ("send_vs_aead_seal", "BM_SendMessage/64", "BM_AeadSeal/bytes:64/fresh_key:1",
     "send (step + envelope seal, 64 B) / AES-GCM seal alone, fresh key", 0.9),
    ("send1k_vs_aead_seal", "BM_SendMessage/1024", "BM_AeadSeal/bytes:1024/fresh_key:1",
     "send (1 KiB) / AES-GCM seal alone, fresh key", None),
    ("send_vs_aead_seal_same_bytes", "BM_SendMessage/64", "BM_AeadSealEnvelopeBytes/64",
     "send (64 B) / AES-GCM seal of as many bytes as the envelope seals (payload encoding "
     "under a header as AAD)", None),
    ("send_vs_send_no_ratchet", "BM_SendMessage/64", "BM_SendMessageNoRatchet/64",
     "send (64 B) / the same envelope seal with a fresh key and no ratchet step", None),
    ("send_vs_aead_seal_fixed_key", "BM_SendMessage/64", "BM_AeadSeal/bytes:64/fresh_key:0",
     "send (64 B) / AES-GCM seal alone, fixed key", None),
    ("receive_vs_aead_open", "BM_ReceiveMessage/64", "BM_AeadOpen/64",
     "receive (decode + open_with_chain, 64 B) / AES-GCM open alone", None),
    ("key_share_open_vs_x25519", "BM_KeyShareOpen/hardened:1", "BM_X25519Agree",
     "hardened key share open+validate / one X25519 agreement", None),
    ("sim_crypto_share", "@crypto_file", None,
     "share of a simulator run's instructions spent in protocol crypto (callgrind)", 0.75),
]


def best_of(figs, names, key):
    cands = [figs[n][key] for n in names if key in figs.get(n, {})]
    return max(cands) if cands else None


def value(figs, name, key="items_per_second"):
    if name == "@best_batch_64":
        return best_of(figs, ("BM_RatchetStepMany/64", "BM_RatchetSendBatch/64"), key)
    if name == "@best_interleaved":
        return best_of(figs, ("BM_Vaes512InterleavedLimit/128", "BM_AesniInterleavedLimit/128"),
                       key)
    return figs[name].get(key) if name in figs else None


def fmt_rate(x):
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= div:
            return f"{x / div:.3g} {unit}/s"
    return f"{x:.3g} /s"


def sim_table(figs):
    rows = [(n, f) for n, f in figs.items() if n.startswith("BM_SimWorld/")]
    if not rows:
        return
    print("\n| phones | wall s | CPU s | events/s (wall) | events/CPU s | messages/s (wall) | "
          "messages/CPU s | peak RSS/phone | peak RSS/pair | verdict |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, f in sorted(rows, key=lambda r: int(r[0].split("/")[1])):
        def g(key, fmt, scale=1.0):
            return format(f[key] / scale, fmt) if key in f else "-"
        print(f"| {name.split('/')[1]} | {g('wall_s', '.1f')} | {g('cpu_s', '.1f')} | "
              f"{g('events_per_s', '.0f')} | {g('events_per_cpu_s', '.0f')} | "
              f"{g('messages_per_s', '.0f')} | {g('messages_per_cpu_s', '.0f')} | "
              f"{g('peak_rss_per_phone', '.1f', 1024)} KiB | "
              f"{g('peak_rss_per_pair', '.1f', 1024)} KiB | {f.get('label', '')} |")


def send_breakdown(figs):
    """Where BM_SendMessage/64's time goes beyond the bare seal, by differences of medians."""
    names = {"seal": "BM_AeadSeal/bytes:64/fresh_key:1", "bytes": "BM_AeadSealEnvelopeBytes/64",
             "no_ratchet": "BM_SendMessageNoRatchet/64", "send": "BM_SendMessage/64"}
    ns = {k: 1e9 / figs[v]["items_per_second"] for k, v in names.items()
          if figs.get(v, {}).get("items_per_second")}
    if len(ns) < len(names):
        return
    print("\n| send path, 64-byte body | ns/message | from |")
    print("| --- | ---: | --- |")
    print(f"| AES-GCM seal alone (fresh key) | {ns['seal']:.1f} | {names['seal']} |")
    print(f"| + the wire format's extra GCM work (69 B under 41 B of AAD) | "
          f"{ns['bytes'] - ns['seal']:.1f} | {names['bytes']} - seal |")
    print(f"| + encoding the envelope (header, payload framing, buffer) | "
          f"{ns['no_ratchet'] - ns['bytes']:.1f} | {names['no_ratchet']} - {names['bytes']} |")
    print(f"| + the ratchet step | {ns['send'] - ns['no_ratchet']:.1f} | "
          f"{names['send']} - {names['no_ratchet']} |")
    print(f"| = send | {ns['send']:.1f} | {names['send']} |")


def main():
    args, crypto_file = sys.argv[1:], None
    if "--crypto" in args:
        i = args.index("--crypto")
        crypto_file = args[i + 1]
        del args[i:i + 2]
    figs = {}
    for path in args:
        with open(path) as f:
            figs.update(medians(json.load(f)))
    if crypto_file:
        with open(crypto_file) as f:
            figs["@crypto_file"] = json.load(f)
    ghz = figs.get("BM_ClockProbe", {}).get("items_per_second", 0) / 1e9
    print(f"Clock probe: {ghz:.2f} GHz (dependent adds, same run)\n")
    print("| benchmark | items/s | ns/item | cycles/item | note |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, fig in figs.items():
        ips = fig.get("items_per_second")
        if not ips:
            continue
        ns = 1e9 / ips
        cyc = f"{ns * ghz:.1f}" if ghz else "-"
        print(f"| {name} | {fmt_rate(ips)} | {ns:.1f} | {cyc} | {fig['label']} |")
    sim_table(figs)
    send_breakdown(figs)
    # "fastest" divides the fastest repetitions: noise on a shared box only adds time, so it
    # is the steadier estimate; the target is judged on the medians, as the issue asks.
    print("\n| ratio | value | fastest reps | meaning | target | met |")
    print("| --- | ---: | ---: | --- | ---: | --- |")
    lines = []
    for name, num, den, meaning, target in RATIOS:
        if den is None:  # sim_crypto_share, from bench/sim_crypto_share.py's file
            if num not in figs:
                continue
            r = figs[num]["value"]
            fast = "-"
            meaning += f" ({figs[num]['scenario']})"
        else:
            a, b = value(figs, num), value(figs, den)
            if a is None or b is None:
                continue
            r = a / b
            fa, fb = value(figs, num, "best_items_per_second"), value(figs, den,
                                                                       "best_items_per_second")
            fast = f"{fa / fb:.3f}" if fa and fb else "-"
        met = "-" if target is None else ("yes" if r >= target else "no")
        tgt = "-" if target is None else f">= {target}"
        print(f"| {name} | {r:.3f} | {fast} | {meaning} | {tgt} | {met} |")
        lines.append(json.dumps({"ratio": name, "value": round(r, 4)}))
    print()
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
