/*
 * models/group/group.pml -- group key distribution and member removal (section 3.4 last
 * paragraph, GRP-001, GRP-003, GRP-010).
 *
 * Components: `environment` (the only process) chooses: the organiser O (PA) sends the
 * epoch key over pairwise key shares to members B (PB) and C (PC) through the server's
 * store; C starts offline and comes online whenever the environment says; a stored key
 * share reaches a member only while it is online; O removes B; O or C sends a group
 * message under the newest epoch key it holds; the attacker (the server, or anyone who
 * copies group traffic) hands any group message to the removed member B.
 *
 * Property:
 *   removed_member_reads_nothing  B never opens a group message sent after its removal
 *                        by a sender that had processed the removal (O from the moment it
 *                        removes B; C once it has accepted a key share of the post-removal
 *                        epoch, or, in paper where no key share follows a removal, from the
 *                        removal itself: the membership change is announced by the server).
 *                        A member that is offline during the rekey keeps sending under the
 *                        old epoch until it receives the new key; the property (and the
 *                        simulator invariant of the same name) does not count those.
 * Bounds: 2 members + organiser, epochs 1..2, at most 3 group messages.
 * Expected:
 *   paper                    VIOLATED: removal sends nothing, B keeps K (GRP-003).
 *   hardened (-DPROFILE_HARDENED)  holds: removal starts epoch 2 with a fresh key
 *                            that only O and C receive (GRP-010).
 * Measured (check_models.py, SPIN 6.5.2, pan -a -w19, one core, 2026-11-23):
 *   paper violated after 11 states (depth 22); hardened holds, 147 states, depth 24;
 *   5.2 MB, < 0.02 s
 */
#include "../common/events.pml"

#define MAX_GMSGS 3
#define MB 0      /* index of B in the member arrays */
#define MC 1      /* index of C */
#define WHO(m) (m == MB -> PB : PC)

byte o_epoch = 1;              /* organiser's current epoch */
bool distributed = false;      /* O has sent the epoch-1 shares */
bool pending[4];               /* stored key share for member m, epoch e: index m*2 + (e-1) */
bool has_key[4];               /* member m holds the key of epoch e */
bool c_online = false;
bool b_removed = false;
byte removal_epoch = 0;        /* the epoch in force after the removal */

byte n_gmsgs = 0;
byte g_epoch[MAX_GMSGS];
byte g_sender[MAX_GMSGS];
bool g_after_removal[MAX_GMSGS];   /* sent after the sender processed the removal */
bool leak = false;             /* ghost: B opened one of those */

ltl removed_member_reads_nothing { [] !leak }

#define IDX(m, e) ((m) * 2 + (e) - 1)
#define C_EPOCH (has_key[IDX(MC, 2)] -> 2 : 1)

#ifdef PROFILE_HARDENED
#define C_AWARE (b_removed && has_key[IDX(MC, 2)])
#else
#define C_AWARE b_removed
#endif

#define DELIVER_KS(m, e) :: atomic { pending[IDX(m, e)] && (m == MB || c_online) -> \
  EMIT(EV_KEYSHARE_ACCEPT, WHO(m), PA, e); pending[IDX(m, e)] = false; has_key[IDX(m, e)] = true }

#define B_READS(i) :: atomic { n_gmsgs > i && has_key[IDX(MB, g_epoch[i])] -> \
  EMIT(EV_GROUP_MSG_READ, PB, g_sender[i], g_epoch[i]); \
  if :: g_after_removal[i] -> leak = true :: else -> skip fi }

proctype environment() {
  do
  /* GRP-001: O distributes the epoch-1 key to B and C */
  :: atomic { !distributed ->
       EMIT(EV_KEYSHARE_SEND, PA, PB, 1); EMIT(EV_KEYSHARE_SEND, PA, PC, 1);
       distributed = true; pending[IDX(MB, 1)] = true; pending[IDX(MC, 1)] = true }
  :: atomic { !c_online -> EMIT(EV_PHONE_ONLINE, PC, NET, 0); c_online = true }
  DELIVER_KS(MB, 1)
  DELIVER_KS(MC, 1)
  DELIVER_KS(MC, 2)
  /* O removes B */
  :: atomic { distributed && !b_removed ->
       EMIT(EV_GROUP_REMOVE, PA, PB, o_epoch);
       b_removed = true;
#ifdef PROFILE_HARDENED
       o_epoch = 2;                                  /* GRP-010: fresh key, new epoch */
       EMIT(EV_KEYSHARE_SEND, PA, PC, 2);
       pending[IDX(MC, 2)] = true;
#endif
       removal_epoch = o_epoch }
  /* O sends to the group */
  :: atomic { distributed && n_gmsgs < MAX_GMSGS ->
       EMIT(EV_GROUP_MSG_SEND, PA, NET, o_epoch);
       g_epoch[n_gmsgs] = o_epoch; g_sender[n_gmsgs] = PA;
       g_after_removal[n_gmsgs] = b_removed; n_gmsgs++ }
  /* C sends to the group under the newest key it holds */
  :: atomic { has_key[IDX(MC, 1)] && n_gmsgs < MAX_GMSGS ->
       EMIT(EV_GROUP_MSG_SEND, PC, NET, C_EPOCH);
       g_epoch[n_gmsgs] = C_EPOCH; g_sender[n_gmsgs] = PC;
       g_after_removal[n_gmsgs] = C_AWARE; n_gmsgs++ }
  /* the attacker hands a group message to B */
  B_READS(0)
  B_READS(1)
  B_READS(2)
  od
}

init {
  atomic { TRACE_INIT; run environment() }
}
