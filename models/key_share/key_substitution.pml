/*
 * models/key_share/key_substitution.pml -- symbolic (Dolev-Yao style) model of a malicious
 * chat server that is also the certificate authority (section 3.3: "certificates issued by
 * the chat server") substituting keys in the pairwise key exchange (Fig. 3, KS-002/KS-003).
 *
 * Components: `environment` (the only process) is the server/attacker.  Knowledge is kept
 * as booleans over atoms: K_A (A's master key), the key each certificate binds, whose key a
 * sealed key share is sealed to, whose signing key signed it.  The attacker can: issue
 * B's encryption certificate to A binding B's key or its own; issue A's signing
 * certificate to B binding A's key or its own (matters in hardened); open anything sealed
 * to its own key; re-seal a known K_A to B (signing with its own key in hardened); relay
 * anything; read any message under a key it knows.  Cryptography is perfect.
 *
 * Property:
 *   adversary_reads_nothing  the server never reads a message A sends under K_A
 *                       (the simulator invariant of the same name)
 *   no_silent_mitm      never both: the server reads A's message and B reads it as well
 *                       (the attack is invisible to both users); its counterexample is the
 *                       full scenario for the simulator
 * Bounds: one key share, one message.
 * Expected:
 *   paper     VIOLATED: the server certifies its own key as B's, opens A's key share,
 *             re-seals K_A to B (the empty PKE AAD lets any sender be claimed, KS-003) and
 *             reads A's messages while B accepts them.  Counterexamples committed in
 *             counterexamples/ (key_substitution_paper_adversary_reads_nothing.txt,
 *             key_substitution_paper_no_silent_mitm.txt).
 *   hardened  VIOLATED as well: the signature (KS-020) is checked against a signing key
 *             that the same CA certifies, so the server certifies its own signing key as
 *             A's for B.  Signatures do not help against the CA; detection is the job of
 *             U2U with fingerprints bound (models/u2u, u2u_detects_mitm).
 *   no_silent_mitm: same outcomes as adversary_reads_nothing.
 *   -DHONEST_CA (a relay that cannot issue certificates): holds in both profiles.
 * Measured (check_models.py, SPIN 6.5.2, pan -a -w19, one core, 2026-11-23):
 *   paper violated after 27 states (depth 17), hardened after 20; HONEST_CA rows hold
 *   with 15 / 12 states; every row 5.2 MB, < 0.02 s
 */
#include "../common/events.pml"

byte a_view_b = 0;        /* whose encryption key A holds as "B's" (0 = none yet) */
byte b_view_a_sig = 0;    /* whose signing key B holds as "A's" (hardened) */
bool ks_sent = false;     /* A sealed its key share */
byte ks_sealed_to = 0;    /* ... to this principal's key */
bool srv_knows_ka = false;
bool b_has_ka = false;
bool msg_sent = false;
bool server_read = false; /* ghost: the server opened A's message */
bool b_read = false;      /* ghost: B opened it too (nobody notices anything) */

ltl adversary_reads_nothing { [] !server_read }
ltl no_silent_mitm     { [] !(server_read && b_read) }

#ifdef HONEST_CA
#define CAN_SUBSTITUTE false
#else
#define CAN_SUBSTITUTE true
#endif

#ifdef PROFILE_HARDENED
#define B_ACCEPTS_SIGNER(p) (b_view_a_sig == (p))   /* KS-020: verify before opening */
#else
#define B_ACCEPTS_SIGNER(p) true                     /* KS-003 paper: no signature, empty AAD */
#endif

proctype environment() {
  do
  /* the CA answers A's request for B's encryption certificate */
  :: atomic { a_view_b == 0 -> EMIT(EV_CERT_ISSUE, SRV, PB, PB); a_view_b = PB }
  :: atomic { a_view_b == 0 && CAN_SUBSTITUTE -> EMIT(EV_CERT_ISSUE, SRV, PB, SRV); a_view_b = SRV }
  /* the CA answers B's request for A's signing certificate */
  :: atomic { b_view_a_sig == 0 -> EMIT(EV_CERT_ISSUE, SRV, PA, PA); b_view_a_sig = PA }
  :: atomic { b_view_a_sig == 0 && CAN_SUBSTITUTE -> EMIT(EV_CERT_ISSUE, SRV, PA, SRV); b_view_a_sig = SRV }
  /* A seals its key share to the key it believes is B's (signed by A in hardened) */
  :: atomic { a_view_b != 0 && !ks_sent ->
       EMIT(EV_KEYSHARE_SEND, PA, PB, 1); ks_sent = true; ks_sealed_to = a_view_b }
  /* the server relays A's key share unchanged */
  :: atomic { ks_sent && ks_sealed_to == PB && B_ACCEPTS_SIGNER(PA) && !b_has_ka ->
       EMIT(EV_KEYSHARE_ACCEPT, PB, PA, 1); b_has_ka = true }
  /* the server opens a key share sealed to its own key */
  :: atomic { ks_sent && ks_sealed_to == SRV && !srv_knows_ka ->
       EMIT(EV_SERVER_READ, SRV, PA, 0); srv_knows_ka = true }
  /* the server re-seals K_A to B's real key, claiming it comes from A */
  :: atomic { srv_knows_ka && B_ACCEPTS_SIGNER(SRV) && !b_has_ka ->
       EMIT(EV_KEYSHARE_ACCEPT, PB, PA, 1); b_has_ka = true }
  /* A sends a message under K_A */
  :: atomic { ks_sent && !msg_sent -> EMIT(EV_MSG_SEND, PA, PB, 0); msg_sent = true }
  /* the server reads it if it knows K_A */
  :: atomic { msg_sent && srv_knows_ka && !server_read ->
       EMIT(EV_SERVER_READ, SRV, PA, 1); server_read = true }
  /* B opens it if it holds K_A */
  :: atomic { msg_sent && b_has_ka && !b_read -> EMIT(EV_MSG_DELIVER, PB, PA, 0); b_read = true }
  od
}

init {
  atomic { TRACE_INIT; run environment() }
}
