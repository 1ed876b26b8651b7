#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the test vectors (spec/vectors/*.json)
and the example scenarios. Deterministic: file names are the SHA-1 of the contents, as
libFuzzer names its own finds. Run from anywhere: python3 fuzz/make_corpus.py
Targets whose input is a FuzzedDataProvider script (handlers) get no seeds here; their
committed corpora come from `-merge=1` of a short run (see fuzz/README.md)."""
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
    # key_share_book.hpp: u16 version; string16 owner; u32 count, (string16 sender; bytes32
    # plain)...; u32 count (groups).
    empty = u16(1) + string16("alice") + u32(0) + u32(0)
    out = [empty]
    for plain in pairwise_plains()[:4]:
        out.append(u16(1) + string16("alice") + u32(1) + string16("bob") + u32(len(plain)) +
                   plain + u32(0))
    return out


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


def scenarios():
    return [p.read_bytes() for p in sorted((ROOT / "simulator" / "scenarios").glob("*.json"))]


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
