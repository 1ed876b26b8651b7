/*
 * models/ratchet/ratchet.pml -- one direction of a pairwise chat (A -> B) after a key
 * share: the sender's counter (RAT-002, RAT-003) and the receiver's window
 * (RAT-004..RAT-008) over a network that loses, duplicates and reorders.
 *
 * Components: `environment` (the only process) chooses every step: A sends the next
 * counter; the network delivers any in-flight copy (reordering within W slots), drops one
 * or delivers an extra copy of any message sent so far (a duplicate, or a replay of one
 * long delivered) while `faults` holds; the receiver's handler (inline) runs
 * atomically on each delivery.  AES is abstracted away: a key is named by its counter.
 *
 * Properties (named ltl blocks, names = simulator invariants):
 *   no_replay_accepted     no counter is accepted twice                         (safety)
 *   no_key_reuse           no counter is sent twice, no message key derived twice (safety)
 *   counter_within_window  the receiver never derives c with c - next >= MAX_FORWARD (safety)
 *   exactly_once_delivery  with -DNO_FAULTS: nothing accepted twice and every sent
 *                          message is eventually accepted (liveness, run with -f)
 * Bounds (each overridable with -D; W at most 8): N_MSGS=5 counters, W=2 in-flight
 *   slots (reorder window), MAX_FORWARD=2
 *   (scaled from 2000), MAX_SKIPPED=1 (scaled from 2000, so eviction -> counter_too_old is
 *   reached), DROPS=2, DUPS=2.
 * Expected: all four hold (same in paper and hardened: the ratchet does not differ).
 *   Mutant -DMUTANT_ACCEPT_OLD (accept any c < next without consulting the skipped set)
 *   must violate no_replay_accepted; -DMUTANT_NO_FORWARD_BOUND must violate
 *   counter_within_window (non-vacuity checks).
 * Measured (check_models.py, SPIN 6.5.2, pan -a -w19, one core, 2026-11-23; the extra
 * copy may be of any message sent so far, so old messages can be replayed):
 *   safety rows  20813 states, depth 119, 7.0 MB, 0.02 s each
 *   exactly_once_delivery (-DNO_FAULTS, -f)  474 states, depth 103, 5.3 MB, 0.01 s
 *   row any+W3 (-DW=3 -DN_MSGS=6 -DMAX_FORWARD=3 -DMAX_SKIPPED=2), no_replay_accepted:
 *     552837 states, depth 144, 56 MB, 0.6 s
 *   mutants violated after 13 (ACCEPT_OLD) and 2887 (NO_FORWARD_BOUND) states
 */
#include "../common/events.pml"

/* Every bound can be overridden with -D (trace checking sets them from the trace). */
#ifndef N_MSGS
#define N_MSGS 5
#endif
#ifndef W
#define W 2               /* in-flight slots, 1..8 */
#endif
#ifndef MAX_FORWARD
#define MAX_FORWARD 2
#endif
#ifndef MAX_SKIPPED
#define MAX_SKIPPED 1
#endif
#ifdef NO_FAULTS
#define DROPS 0
#define DUPS 0
#endif
#ifndef DROPS
#define DROPS 2
#endif
#ifndef DUPS
#define DUPS 2
#endif

typedef Slot { bool used; byte ctr }
Slot net[W];
byte in_flight = 0;

byte send_ctr = 0;            /* sender: next counter to use (RAT-003) */
byte next = 0;                /* receiver: lowest counter not yet derived (RAT-004) */
byte low = 0;                 /* receiver: lowest counter whose key may still be held */
bool skipped[N_MSGS];         /* receiver: skipped message keys still held */
byte nskipped = 0;
bool faults = true;
byte drops_left = DROPS;
byte dups_left = DUPS;

/* ghost state for the properties */
byte acc[N_MSGS];             /* times each counter was accepted */
byte sent[N_MSGS];            /* times each counter was sent */
byte derived[N_MSGS];         /* times each message key was derived */
bool replay_accepted = false;
bool key_reused = false;
byte max_jump = 0;            /* largest c - next for which keys were derived */
byte owed = 0;                /* sent, not yet accepted (meaningful with NO_FAULTS) */

ltl no_replay_accepted    { [] !replay_accepted }
ltl no_key_reuse          { [] !key_reused }
ltl counter_within_window { [] (max_jump < MAX_FORWARD) }
ltl exactly_once_delivery { [] !replay_accepted && [] (owed > 0 -> <> (owed == 0)) }

inline accept(c) {
  EMIT(EV_MSG_DELIVER, PB, PA, c);
  if
  :: acc[c] > 0 -> replay_accepted = true
  :: else -> skip
  fi;
  acc[c]++;
  if
  :: owed > 0 -> owed--
  :: else -> skip
  fi
}

/* RAT-008: keep at most MAX_SKIPPED skipped keys; evict the lowest, raise `low` past it. */
inline evict() {
  do
  :: nskipped > MAX_SKIPPED ->
     k = low;
     do
     :: skipped[k] -> break
     :: else -> k++
     od;
     skipped[k] = false;
     nskipped--;
     low = k + 1
  :: else -> break
  od
}

inline derive(c) {
  if
  :: derived[c] > 0 -> key_reused = true
  :: else -> skip
  fi;
  derived[c]++
}

/* RAT-005..RAT-007; the AEAD always opens (no forgeries in this model). */
inline receive(c) {
  if
#ifndef MUTANT_NO_FORWARD_BOUND
  :: c >= next && c - next >= MAX_FORWARD ->
     EMIT(EV_MSG_REJECT, PB, PA, c)             /* counter_too_far_ahead, nothing derived */
  :: c >= next && c - next < MAX_FORWARD ->
#else
  :: c >= next ->
#endif
     if
     :: c - next > max_jump -> max_jump = c - next
     :: else -> skip
     fi;
     k = next;
     do
     :: k < c -> derive(k); skipped[k] = true; nskipped++; k++
     :: else -> break
     od;
     derive(c);
     next = c + 1;
     evict();
     accept(c)
#ifdef MUTANT_ACCEPT_OLD
  :: c < next -> if :: skipped[c] -> skipped[c] = false; nskipped-- :: else -> skip fi; accept(c)
#else
  :: c < next && skipped[c] -> skipped[c] = false; nskipped--; accept(c)
  :: c < next && !skipped[c] ->
     EMIT(EV_MSG_REJECT, PB, PA, c)             /* replay (c >= low) or counter_too_old */
#endif
  fi
}

#define USED(i) (i < W && net[i].used)
#define DELIVER(i) :: atomic { USED(i) -> c = net[i].ctr; net[i].used = false; in_flight--; receive(c) }
#define DROP(i) :: atomic { faults && drops_left > 0 && USED(i) -> drops_left--; \
  net[i].used = false; in_flight--; EMIT(EV_MSG_DROP, NET, PB, net[i].ctr) }

proctype environment() {
  byte c, k, i;
  do
  :: atomic { send_ctr < N_MSGS && in_flight < W ->
       EMIT(EV_MSG_SEND, PA, PB, send_ctr);
       i = 0;
       do
       :: net[i].used -> i++
       :: else -> break
       od;
       in_flight++;
       net[i].used = true;
       net[i].ctr = send_ctr;
       if
       :: sent[send_ctr] > 0 -> key_reused = true
       :: else -> skip
       fi;
       sent[send_ctr]++;
       owed++;
       send_ctr++ }
  DELIVER(0)
  DELIVER(1)
  DELIVER(2)
  DELIVER(3)
  DELIVER(4)
  DELIVER(5)
  DELIVER(6)
  DELIVER(7)
  /* An extra copy of any message sent so far, in flight or long delivered, reaches B: a
     duplicate, a replay by the network or a malicious server, a sender's retried relay. */
  :: atomic { faults && dups_left > 0 && send_ctr > 0 -> dups_left--;
       c = 0;
       do
       :: c + 1 < send_ctr -> c++
       :: break
       od;
       EMIT(EV_MSG_DUP, NET, PB, c); receive(c) }
  DROP(0)
  DROP(1)
  DROP(2)
  DROP(3)
  DROP(4)
  DROP(5)
  DROP(6)
  DROP(7)
  :: atomic { faults -> faults = false; EMIT(EV_FAULTS_OFF, NET, NET, 0) }
  od
}

init {
  atomic { TRACE_INIT; run environment() }
}
