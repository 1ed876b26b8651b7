/*
 * models/u2u/u2u.pml -- U2U opt-in and authentication (section 3.5, Fig. 4, U2U-001..003,
 * U2U-010) against a malicious server that has substituted both users' encryption keys
 * (models/key_share/key_substitution.pml shows how), so that every envelope between A and
 * B passes through it: it opens, reads, re-seals, drops or replaces each one.
 *
 * Components: `environment` (the only process) decides whether the server is a MITM, then
 * runs the protocol; at every hand-over the attacker chooses which value to deliver among
 * those it knows (symbolic knowledge: the hash of A's secret, of B's secret, its own).
 * Secrets themselves never leave the phones and are high-entropy (a low-entropy keyword
 * falls to an offline guess from its hash, which this model does not cover).
 *   paper: each phone stores v = H(secret_self || received_hash); in authentication the
 *     peer re-sends H(secret) and the phone recomputes and compares (U2U-003).  This
 *     amounts to "the received hash equals the one received at opt-in".
 *   hardened: as spec/u2u.md U2U-010 and ambiguity A-36 fix it: both phones compute one
 *     value v = H(tag || h_I || h_R || fp_I || fp_R) from the two opt-in hashes and the
 *     encryption-certificate fingerprints each phone holds, store it at opt-in, and answer
 *     fresh nonces with HMAC(v, ...); before answering or accepting, a phone recomputes v
 *     from its current certificates.  v depends on the secrets only through the hashes, so
 *     a server that substituted the keys *before* opt-in sees h_I and h_R in the envelopes
 *     it re-seals, computes v for each phone's view and answers both challenges (EARLY: not
 *     detected, A-36).  A substitution *after* an honest opt-in changes the fingerprints a
 *     phone holds, so its recomputed v no longer matches the stored one and no response
 *     verifies (LATE: detected); fresh nonces stop replay and reflection.
 *
 * Properties:
 *   u2u_detects_mitm       under key substitution made at any time, neither phone reports a
 *                          successful authentication
 *   u2u_detects_late_mitm  under a substitution made after the opt-in, neither does
 *   honest_auth_fails      without a MITM, the two phones never both succeed; expected
 *                          VIOLATED in both profiles (non-vacuity: honest runs do succeed)
 * Bounds: one opt-in, one authentication run.
 * Expected:
 *   paper     u2u_detects_mitm and u2u_detects_late_mitm VIOLATED (the server relays the
 *             hashes; the counterexample shows it); honest_auth_fails VIOLATED.
 *   hardened  u2u_detects_mitm VIOLATED (early substitution, A-36: the same weakness
 *             simulator/scenarios/attacks/u2u_mitm_hardened.json shows);
 *             u2u_detects_late_mitm holds; honest_auth_fails VIOLATED.
 * Measured: models/README.md (python3 models/check_models.py --only u2u).
 */
#include "../common/events.pml"

bool decided = false;
bool mitm = false;
bool early = false;  /* the keys were substituted before the opt-in (else after, or never) */
bool optin = false;
bool a_hash_sent = false, b_hash_sent = false;  /* opt-in hashes sent (U2U-002) */
byte a_peer = 0, b_peer = 0;                    /* whose hash each phone stored (0 = none) */
bool a_auth_sent = false, b_auth_sent = false;  /* authentication values sent */
bool a_done = false, b_done = false;
bool a_ok = false, b_ok = false;

ltl u2u_detects_mitm  { [] !(mitm && (a_ok || b_ok)) }
ltl u2u_detects_late_mitm { [] !(mitm && !early && (a_ok || b_ok)) }
ltl honest_auth_fails { [] !(!mitm && a_ok && b_ok) }

/* The value of principal p reaching the phone other than p: genuine relay whenever p sent
 * it (both with and without MITM); a MITM can also deliver anything it has seen or made. */
#define HASH_AVAILABLE(p) ((p == PA && (a_hash_sent || a_auth_sent)) || \
                           (p == PB && (b_hash_sent || b_auth_sent)))
#define OPTIN_SOURCE(p, to) (((p) == PA && (to) == PB && a_hash_sent) || \
                             ((p) == PB && (to) == PA && b_hash_sent) || \
                             (mitm && ((p) == SRV || HASH_AVAILABLE(p))))
#define AUTH_SOURCE(p, to) (((p) == PA && (to) == PB && a_auth_sent) || \
                            ((p) == PB && (to) == PA && b_auth_sent) || \
                            (mitm && ((p) == SRV || HASH_AVAILABLE(p))))

#ifdef PROFILE_HARDENED
/* Without substitution only the genuine peer's HMAC over this run's nonces verifies. After
 * an early substitution the server, which saw both opt-in hashes and chose the certificates
 * each phone holds, computes each phone's v and answers for the peer (A-36); the peer's own
 * response, keyed with its different view, does not verify. After a late one nothing does:
 * the phone's recomputed v differs from the one it stored at opt-in. */
#define VERIFIES(p, peer, stored) (((p) == (peer) && !mitm) || (early && (p) == SRV))
#else
/* U2U-003: H(secret_self || received) == H(secret_self || stored)  <=>  received == stored */
#define VERIFIES(p, peer, stored) ((p) == (stored))
#endif

#define OPTIN_RECV(p) \
  :: atomic { optin && b_peer == 0 && OPTIN_SOURCE(p, PB) -> \
       EMIT(EV_U2U_HASH_RECV, PB, PA, p); b_peer = p } \
  :: atomic { optin && a_peer == 0 && OPTIN_SOURCE(p, PA) -> \
       EMIT(EV_U2U_HASH_RECV, PA, PB, p); a_peer = p }

#define AUTH_RECV(p) \
  :: atomic { b_peer != 0 && !b_done && AUTH_SOURCE(p, PB) -> \
       b_done = true; \
       if \
       :: VERIFIES(p, PA, b_peer) -> EMIT(EV_U2U_AUTH_OK, PB, PA, 0); b_ok = true \
       :: else -> EMIT(EV_U2U_AUTH_FAIL, PB, PA, 0) \
       fi } \
  :: atomic { a_peer != 0 && !a_done && AUTH_SOURCE(p, PA) -> \
       a_done = true; \
       if \
       :: VERIFIES(p, PB, a_peer) -> EMIT(EV_U2U_AUTH_OK, PA, PB, 0); a_ok = true \
       :: else -> EMIT(EV_U2U_AUTH_FAIL, PA, PB, 0) \
       fi }

proctype environment() {
  do
  /* the server substitutes keys (cert_issue of its own key for both users) before the
   * opt-in, or not yet */
  :: atomic { !decided -> EMIT(EV_CERT_ISSUE, SRV, PB, SRV); EMIT(EV_CERT_ISSUE, SRV, PA, SRV);
                          decided = true; mitm = true; early = true }
  :: atomic { !decided -> decided = true }
  /* ... or after an honest opt-in, before the authentication */
  :: atomic { decided && !mitm && a_peer != 0 && b_peer != 0 && !a_auth_sent && !b_auth_sent ->
       EMIT(EV_CERT_ISSUE, SRV, PB, SRV); EMIT(EV_CERT_ISSUE, SRV, PA, SRV); mitm = true }
  :: atomic { decided && !optin -> EMIT(EV_U2U_OPTIN, PA, PB, 0); optin = true }
  :: atomic { optin && !a_hash_sent -> EMIT(EV_U2U_HASH_SEND, PA, PB, PA); a_hash_sent = true }
  :: atomic { optin && !b_hash_sent -> EMIT(EV_U2U_HASH_SEND, PB, PA, PB); b_hash_sent = true }
  OPTIN_RECV(PA)
  OPTIN_RECV(PB)
  OPTIN_RECV(SRV)
  /* authentication: each phone sends its value again (paper) or its HMAC (hardened) */
  :: atomic { a_peer != 0 && b_peer != 0 && !a_auth_sent ->
       EMIT(EV_U2U_AUTH_SEND, PA, PB, PA); a_auth_sent = true }
  :: atomic { a_peer != 0 && b_peer != 0 && !b_auth_sent ->
       EMIT(EV_U2U_AUTH_SEND, PB, PA, PB); b_auth_sent = true }
  AUTH_RECV(PA)
  AUTH_RECV(PB)
  AUTH_RECV(SRV)
  od
}

init {
  atomic { TRACE_INIT; run environment() }
}
