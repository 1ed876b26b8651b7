#!/usr/bin/env python3
"""Independent cross-check of spec/vectors/{certificate,key_share,group}.json with the
Python `cryptography` package (not Crypto++): rebuilds every positive certificate from its
fields and re-signs it, opens every sealed key share by hand (X25519, HKDF-SHA256,
AES-256-GCM per CRY-002, AAD per KS-003), rebuilds each plain encoding from KS-001, and
recomputes GRP-002 member seeds. Run from the repository root; exits non-zero on mismatch."""
import hashlib
import json
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def string16(s):
    return struct.pack(">H", len(s)) + s.encode()


def read16(b, o):
    n = struct.unpack(">H", b[o:o + 2])[0]
    return b[o + 2:o + 2 + n], o + 2 + n


def check_certificates():
    for c in json.load(open("spec/vectors/certificate.json"))["cases"]:
        if "expected_error" in c:
            continue
        tbs = (struct.pack(">HQ", 1, int(c["serial"])) + string16(c["user_id"]) +
               bytes([c["usage"]]) + struct.pack(">H", 32) + bytes.fromhex(c["public_key"]) +
               struct.pack(">QQ", int(c["not_before_ms"]), int(c["not_after_ms"])))
        ca = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(c["ca_secret"]))
        full = tbs + ca.sign(tbs)
        assert full.hex() == c["encoded"], c["description"]
        assert hashlib.sha256(full).hexdigest() == c["fingerprint"], c["description"]


def expected_plain(c):
    scope = 2 if "group_id" in c else 1
    out = struct.pack(">HBQBQH", 1, scope, int(c["timestamp_ms"]), c["lifetime_kind"],
                      int(c["lifetime_ms"]), c["suite"])
    out += bytes.fromhex(c["seed_numbers"]) + bytes.fromhex(c["master_key"])
    if scope == 2:
        out += string16(c["group_id"]) + struct.pack(">IH", c["epoch"], len(c["members"]))
        out += b"".join(string16(m) for m in c["members"])
    return out


def check_key_shares():
    for c in json.load(open("spec/vectors/key_share.json"))["cases"]:
        if "expected_error" in c:
            continue
        m = bytes.fromhex(c["message"])
        _, o = read16(m, 2)
        _, o = read16(m, o)
        flags = m[o]
        header = m[:o + 1]
        sealed, o = read16(m, o + 1)
        if flags & 1:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(c["sender_sign_public"]))
            key.verify(m[o:o + 64], m[:o])
            o += 64
        assert o == len(m), c["description"]
        secret = X25519PrivateKey.from_private_bytes(bytes.fromhex(c["recipient_secret"]))
        # public_bytes(Raw, Raw), not public_bytes_raw(): the latter needs cryptography >= 40,
        # and Debian 12 ships 38.
        pub = secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        enc = sealed[:32]
        shared = secret.exchange(X25519PublicKey.from_public_bytes(enc))
        key = HKDF(hashes.SHA256(), 32, enc + pub,
                   b"SPMC PKE-1 X25519-HKDF-SHA256-AES256GCM").derive(shared)
        aad = header if c["profile"] == "hardened" else b""
        plain = AESGCM(key).decrypt(bytes(12), sealed[32:], aad)
        assert plain.hex() == c["plain"] == expected_plain(c).hex(), c["description"]


def check_groups():
    for c in json.load(open("spec/vectors/group.json"))["cases"]:
        if "sender_index" in c:
            tweak = c["sender_index"].to_bytes(16, "big") * 4
            seed = bytes.fromhex(c["seed_numbers"])
            assert bytes(a ^ b for a, b in zip(seed, tweak)).hex() == c["member_seed_numbers"]
        elif "expected_error" not in c:
            assert expected_plain(c).hex() == c["plain"], c["description"]


if __name__ == "__main__":
    check_certificates()
    check_key_shares()
    check_groups()
    print("certificate, key_share and group vectors agree with an independent computation")
