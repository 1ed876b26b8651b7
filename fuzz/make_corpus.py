#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the test vectors (spec/vectors/*.json)
and the example scenarios. Deterministic: file names are the SHA-1 of the contents, as
libFuzzer names its own finds. Run from anywhere: python3 fuzz/make_corpus.py
Targets whose input is a FuzzedDataProvider script (handlers) get no seeds here; their
committed corpora come from `-merge=1` of a short run (see fuzz/README.md). world_fuzzer is
the exception: its hand-made worlds are encoded the way FuzzedDataProvider reads them."""
import hashlib
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "spec" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"
MAX_PER_TARGET = 40
# Order of vectors::all_suites() (reference/vectors/vectors.cpp): vectors_fuzzer's first byte.
SUITES = ["codec", "ratchet", "envelope", "certificate", "key_share", "group", "u2u", "storage"]


def load(name):
    return json.loads((VECTORS / f"{name}.json").read_text())


def cases(name):
    return load(name)["cases"]


def hex_fields(name, field):
    return [bytes.fromhex(c[field]) for c in cases(name) if field in c]


def u16(v):
    return struct.pack(">H", v)


def u32(v):
    return struct.pack(">I", v)


def string16(s):
    return u16(len(s)) + s.encode()


def app_payloads():
    # ENV-003: u8 content_type; bytes32 body.
    out = []
    for c in cases("envelope") + cases("u2u"):
        if "content_type" in c and "body" in c:
            body = bytes.fromhex(c["body"])
            out.append(bytes([int(c["content_type"])]) + u32(len(body)) + body)
    return out


def u2u_bodies():
    return [bytes([int(c["content_type"])]) + bytes.fromhex(c["body"])
            for c in cases("u2u") if "content_type" in c]


def ratchet_states():
    # Local-store forms (ratchet.hpp): u16 version; u16 suite; master key; 4 slots; u32 next
    # [; u32 low; u32 count (0)]. First byte: 1 = SendChain, 0 = ReceiveChain.
    out = []
    for c in cases("ratchet"):
        core = u16(1) + u16(int(c["suite"])) + bytes.fromhex(c["master_key"])
        core += b"".join(bytes.fromhex(c[f"n{i}"]) for i in range(4))
        out.append(b"\x01" + core + u32(0))
        out.append(b"\x00" + core + u32(0) + u32(0) + u32(0))
    return out


def pairwise_plains():
    return [p for p in hex_fields("key_share", "plain") if len(p) > 3 and p[2] == 1]


def books():
    # key_share_book.hpp, STO-008 version 2: u16 version; string16 owner; u32 count, entries
    # (string16 sender; u8 scope; u64 timestamp; u8 lifetime kind; u64 lifetime; if scope 2
    # string16 group id)...; u32 count, group entries. No keys (KS-022).
    def entry(sender, timestamp, lifetime_ms, group=None):
        kind = 1 if lifetime_ms else 0
        out = string16(sender) + bytes([2 if group else 1]) + struct.pack(">Q", timestamp)
        out += bytes([kind]) + struct.pack(">Q", lifetime_ms)
        return out + (string16(group) if group else b"")

    owner = u16(2) + string16("alice")
    return [
        owner + u32(0) + u32(0),
        owner + u32(1) + entry("bob", 1_700_000_000_000, 0) + u32(0),
        owner + u32(2) + entry("bob", 5, 604_800_000) + entry("carol", 7, 0) + u32(0),
        owner + u32(0) + u32(1) + entry("bob", 9, 0, "bob-g1"),
        owner + u32(1) + entry("dave", 2**64 - 1, 2**64 - 1) + u32(1) + entry("bob", 3, 1, "g"),
    ]


def u2u_states():
    # u16 version; u8 profile; u8 state; u8 role; u8 auth_initiator; bytes16 secret; u8 present.
    # First byte picks the fuzzer's profile (1: hardened).
    return [bytes([pick]) + u16(1) + bytes([profile, 0, 0, 0]) + u16(0) + b"\x00"
            for pick, profile in ((0, 1), (1, 2))]


def channel_frames():
    return [b"\x01" + u32(7) + u32(0) + u32(5) + b"hello", b"\x02" + u32(7) + u32(3),
            b"\x01" + u32(0xFFFFFFFF) + u32(0xFFFFFFFF) + u32(0)]


def vector_files():
    out = []
    for index, name in enumerate(SUITES):
        data = load(name)
        data["cases"] = data["cases"][:2]
        out.append(bytes([index]) + json.dumps(data, separators=(",", ":")).encode())
    return out


def provider_bytes(fields):
    """The input from which libFuzzer's FuzzedDataProvider reads `fields` ((value, min, max)
    in read order) with ConsumeIntegralInRange: each value takes the fewest bytes covering
    max - min, most significant first, read from the end of the input backwards."""
    read = []
    for value, low, high in fields:
        assert low <= value <= high, (value, low, high)
        width = 0
        while width < 8 and (high - low) >> (8 * width):
            width += 1
        read += (value - low).to_bytes(width, "big")
    return bytes(reversed(read))


# world_fuzzer's fields in the order it reads them (fuzz/world_fuzzer.cpp), with their ranges.
WORLD_FIELDS = [
    ("seed", 0, 2**64 - 1), ("hardened", 0, 255), ("phones", 2, 6), ("kind", 0, 3),
    ("degree", 1, 5), ("rate", 1, 30), ("groups", 0, 2), ("size_min", 2, None),
    ("size_max", None, None), ("churn_per_day", 0, 2880), ("offline_ms", 1000, 60000),
    ("loss", 0, 300000), ("dup", 0, 300000), ("reorder", 0, 500000), ("spike", 0, 300000),
    ("cuts_per_hour", 0, 120), ("cut_ms", 1000, 30000), ("one_way", 0, 10**6),
    ("server_side", 0, 10**6), ("phone_crashes", 0, 120), ("server_crashes", 0, 60),
    ("downtime_ms", 1000, 20000), ("skew_ms", 0, 3000), ("drift_ppm", 0, 200),
    ("safety_ms", 5000, 40000), ("u2u", 0, 2),
    # 0 none, 1 server_replays, 2 network_attacker, 3 curious_server + observer, 4 both 1 and 2
    ("adversary", 0, 4)]
WORLD_DEFAULTS = {"hardened": 0, "phones": 3, "kind": 0, "degree": 2, "rate": 6, "groups": 0,
                  "offline_ms": 1000, "cut_ms": 1000, "downtime_ms": 1000, "safety_ms": 10000}


def world_input(**values):
    # kind: 0 small world, 1 Erdos-Renyi, 2 preferential, 3 complete (ContactGraphKind).
    v = dict(WORLD_DEFAULTS, **values)
    v.setdefault("size_min", 2)
    v.setdefault("size_max", v["phones"])
    fields = []
    for name, low, high in WORLD_FIELDS:
        if name in ("size_min", "size_max") and v["groups"] == 0:
            continue  # read only when there are groups
        low = v["size_min"] if name == "size_max" else low
        high = v["phones"] if high is None else high
        fields.append((v.get(name, low), low, high))
    return provider_bytes(fields)


def worlds():
    return [
        b"",  # every field at its minimum: two phones, no faults
        world_input(seed=1),
        world_input(seed=2, hardened=1, phones=4, groups=1, size_min=3),
        world_input(seed=3, phones=4, loss=300000, dup=100000, reorder=300000),
        world_input(seed=4, phones=5, kind=2, spike=200000, reorder=500000),
        world_input(seed=5, phones=4, churn_per_day=2880, offline_ms=20000, safety_ms=30000),
        world_input(seed=6, phones=4, phone_crashes=120, server_crashes=60, downtime_ms=5000,
                    safety_ms=30000),
        world_input(seed=7, phones=5, cuts_per_hour=120, cut_ms=10000, one_way=500000,
                    server_side=300000, safety_ms=30000),
        world_input(seed=8, phones=4, kind=1, degree=3, skew_ms=3000, drift_ppm=200),
        world_input(seed=9, phones=5, kind=3, groups=2, size_min=2, size_max=4, u2u=2, rate=20),
        world_input(seed=10, hardened=1, phones=6, kind=3, groups=2, size_min=3, rate=12,
                    churn_per_day=1440, offline_ms=10000, loss=100000, dup=50000,
                    reorder=100000, spike=50000, cuts_per_hour=60, cut_ms=5000,
                    phone_crashes=60, server_crashes=20, downtime_ms=3000, skew_ms=1500,
                    drift_ppm=100, safety_ms=40000, u2u=1),
        world_input(seed=11, phones=4, kind=3, groups=1, size_min=3, u2u=1, adversary=4,
                    loss=50000, reorder=100000, safety_ms=30000),
        world_input(seed=12, hardened=1, phones=5, kind=3, groups=1, size_min=3, adversary=3,
                    churn_per_day=1440, offline_ms=10000, safety_ms=30000),
    ]


def scenarios():
    # The example worlds, the aimed attacks (object entries in "adversaries") and each
    # built-in profile inline as a scenario's "profile" object (PRO-008).
    root = ROOT / "simulator"
    files = sorted((root / "scenarios").glob("*.json")) + \
        sorted((root / "scenarios" / "attacks" / "aimed").glob("*.json"))
    inline = [b'{"phones": 4, "profile": ' + p.read_bytes().strip() + b'}'
              for p in sorted((root / "profiles").glob("*.json"))]
    inline.append(b'{"profile": {"base": "paper", "name": "mine", "u2u": "bound", '
                  b'"limits": {"max_forward": 10}}}')
    return [p.read_bytes() for p in files] + inline


def topologies():
    # The shipped country topology and the two small ones of tests/locality.
    data = ROOT / "simulator" / "locality" / "data" / "countries.json"
    small = (b'{"format": "spmc-locality-topology/1", "as_of": "x", "model": '
             b'{"route_factor_permille": 1000, "fibre_km_per_s": 200000, "per_link_us": 0}, '
             b'"groups": [{"id": "g", "name": "G", "members": ["XA"]}], "countries": ['
             b'{"code": "XA", "name": "a", "city": "a", "lat": 0, "lon": 0, "region": "X", '
             b'"subregion": "XS", "study": true}, {"code": "YA", "name": "b", "city": "b", '
             b'"lat": 0, "lon": 179, "region": "Y", "subregion": "YS", "study": true}], '
             b'"links": [{"a": "XA", "b": "YA", "kind": "sea", "via": "c"}]}')
    return [data.read_bytes(), small]


def server_records():
    """An account (verified, certified, two contacts, one pending), an identity and stored
    pushes of each kind, in the SRV-022 layouts; byte 0 picks the decoder."""
    cert = u16(3) + b"crt"
    account = (b"\x01" + string16("AAAABBBBCCCCDDDD") + bytes(range(32)) + u16(16) + b"s" * 16 +
               u16(32) + b"v" * 32 + string16("123456") + b"\x01" + cert + cert +
               b"\x02" + struct.pack(">QQ", 3, 4) + u32(2) + string16("b") + string16("c") +
               u32(1) + string16("d"))
    fresh = (b"\x01" + string16("x") + bytes(32) + u16(16) + bytes(16) + u16(32) + bytes(32) +
             string16("100000") + b"\x00" + u16(0) + u16(0) + b"\x00" + u32(0) + u32(0))
    identity = b"\x01" + bytes(range(32)) + u16(16) + bytes(16)
    deliver = (bytes([72]) + u32(0) + struct.pack(">Q", 42) + string16("from") + b"\x02" +
               struct.pack(">Q", 7) + u32(6) + b"sealed")
    added = bytes([71]) + u32(0) + struct.pack(">Q", 5) + string16("u") + cert + cert
    request = bytes([70]) + u32(0) + struct.pack(">Q", 6) + string16("u") + cert + cert
    return [b"\x00" + account, b"\x00" + fresh, b"\x01" + identity,
            b"\x02" + deliver, b"\x02" + added, b"\x02" + request]


def phone_states():
    """STO-010 states (spec/storage.md): a fresh phone's, and one with a book, a contact
    request, revoked serials, an outbox item, a held envelope and a history line. Byte 0
    picks the fuzzer's profile (1: hardened)."""
    def u64(v):
        return struct.pack(">Q", v % 2**64)

    def bytes32(b):
        return u32(len(b)) + b

    def state(account, email, password, user, revoked, requests, book, last, groups_next,
              next_out, outbox, held, offset, history):
        out = b"SPMCPS01" + bytes([account]) + string16(email) + u16(len(password)) + password
        out += string16(user) + bytes(128) + b"\x00"
        out += u32(len(revoked)) + b"".join(u64(v) for v in revoked)
        out += u32(0) + u32(len(requests)) + b"".join(string16(r) for r in requests)
        out += (b"\x01" + bytes32(book)) if book else b"\x00"
        out += u32(0) + u64(last) + u64(groups_next) + u64(next_out)
        out += u32(len(outbox)) + b"".join(
            u64(seq) + bytes([op]) + string16(to) + bytes([kind]) + bytes32(payload) + u64(retry)
            for seq, op, to, kind, payload, retry in outbox)
        out += u32(len(held)) + b"".join(string16(f) + bytes32(p) + u64(d) for f, p, d in held)
        out += u64(offset)
        out += u32(len(history)) + b"".join(
            string16(c) + string16(f) + bytes([o, g]) + u64(t) + bytes32(b)
            for c, f, o, g, t, b in history)
        return out

    fresh = state(0, "", b"", "", [], [], None, 0, 1, 1, [], [], 0, [])
    book = u16(1) + string16("alice") + u32(0) + u32(0)
    busy = state(3, "a@x.org", b"pw", "alice", [3, 7], ["bob"], book, 5, 2, 3,
                 [(2, 0, "bob", 2, b"env", 0)], [("bob", b"x", 9)], -5,
                 [("bob", "alice", 1, 0, 7, b"hi")])
    return [bytes([pick]) + s for s in (fresh, busy) for pick in (0, 1)]


SEEDS = {
    "certificate_fuzzer": lambda: hex_fields("certificate", "encoded"),
    "envelope_fuzzer": lambda: hex_fields("envelope", "envelope"),
    "app_payload_fuzzer": app_payloads,
    "u2u_body_fuzzer": u2u_bodies,
    "key_share_plain_fuzzer": lambda: hex_fields("key_share", "plain") + hex_fields("group", "plain"),
    "key_share_message_fuzzer": lambda: hex_fields("key_share", "message"),
    "key_share_seal_fuzzer": lambda: [bytes([b]) + p for p in hex_fields("key_share", "plain")
                                      for b in (0, 1)],
    "key_share_book_fuzzer": books,
    "store_file_fuzzer": lambda: hex_fields("storage", "file"),
    "ratchet_state_fuzzer": ratchet_states,
    "u2u_state_fuzzer": u2u_states,
    "channel_frame_fuzzer": channel_frames,
    "vectors_fuzzer": vector_files,
    "scenario_fuzzer": scenarios,
    "locality_topology_fuzzer": topologies,
    "world_fuzzer": worlds,
    "server_record_fuzzer": server_records,
    "phone_state_fuzzer": phone_states,
}


def main():
    for target, make in SEEDS.items():
        directory = CORPUS / target
        directory.mkdir(parents=True, exist_ok=True)
        unique = sorted(set(make()))[:MAX_PER_TARGET]
        for seed in unique:
            (directory / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        print(f"{target}: {len(unique)} seeds")


if __name__ == "__main__":
    main()
