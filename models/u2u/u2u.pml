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
 *   hardened: the compared value binds both certified encryption-key fingerprints as each
 *     phone sees them, and responses are HMACs over fresh nonces (U2U-010).  Modelling
 *     assumption (to confirm in spec/u2u.md): for the peer to verify a response both phones
 *     must compute the same value, so the two users enter the same keyword; the value is
 *     H(keyword || sorted fingerprints).  Under key substitution the two views differ, so
 *     no response verifies; the server lacks the keyword and cannot compute one, and fresh
 *     nonces (plus the direction in the MAC input) stop replay and reflection.
 *
 * Properties:
 *   u2u_detects_mitm     under key substitution, neither phone reports a successful
 *                        authentication
 *   honest_auth_fails    without a MITM, the two phones never both succeed; expected
 *                        VIOLATED in both profiles (non-vacuity: honest runs do succeed)
 * Bounds: one opt-in, one authentication run.
 * Expected:
 *   paper     u2u_detects_mitm VIOLATED (the server relays the hashes; counterexample shows
 *             it); honest_auth_fails VIOLATED.
 *   hardened  u2u_detects_mitm holds; honest_auth_fails VIOLATED.
 * Measured (check_models.py, SPIN 6.5.2, pan -a -w19, one core, 2026-11-23):
 *   u2u_detects_mitm: paper violated after 11 states (depth 22); hardened holds, 345
 *   states, depth 28.  honest_auth_fails violated after 706 / 337 states.  5.2 MB, < 0.03 s
 */
#include "../common/events.pml"

bool decided = false;
bool mitm = false;
bool optin = false;
bool a_hash_sent = false, b_hash_sent = false;  /* opt-in hashes sent (U2U-002) */
byte a_peer = 0, b_peer = 0;                    /* whose hash each phone stored (0 = none) */
bool a_auth_sent = false, b_auth_sent = false;  /* authentication values sent */
bool a_done = false, b_done = false;
bool a_ok = false, b_ok = false;

ltl u2u_detects_mitm  { [] !(mitm && (a_ok || b_ok)) }
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
/* Only the genuine peer's HMAC over this run's nonces, keyed with the same value, verifies:
 * it came from the peer and both phones see the same fingerprints (no substitution). */
#define VERIFIES(p, peer, stored) ((p) == (peer) && !mitm)
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
  /* the server substitutes keys (cert_issue of its own key for both users) or not */
  :: atomic { !decided -> EMIT(EV_CERT_ISSUE, SRV, PB, SRV); EMIT(EV_CERT_ISSUE, SRV, PA, SRV);
                          decided = true; mitm = true }
  :: atomic { !decided -> decided = true }
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
