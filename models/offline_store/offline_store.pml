/*
 * models/offline_store/offline_store.pml -- the server's store-and-forward queue for an
 * offline recipient and deletion after delivery (section 3.4 "offline key exchange",
 * section 3.7 "chat histories are not stored on the server"; offline_queue_max).
 *
 * Components: `environment` (the only process) chooses: A hands message id to the server,
 * which stores it (store_put); B goes offline / online (a bounded number of times; it
 * always may come online); the server pushes a stored copy to B while B is online and no
 * copy or acknowledgement of it is in flight (a retransmission after a timeout longer than
 * the round trip); the network loses a push or an ack (bounded); B opens a push, gives it
 * to the app unless it has seen the id (the ratchet's replay rule), and acknowledges it
 * either way; the server deletes an entry when its ack arrives (store_delete).
 *
 * Properties:
 *   exactly_once_delivery  no id reaches B's app twice, and every id handed to the
 *                          server eventually reaches it (liveness)
 *   offline_store_empty_at_quiescence  every run reaches quiescence (sending, faults and
 *                          churn are bounded) and from then on the store is empty
 *   deleted_after_delivery the server never deletes an id B has not delivered, and
 *                          every delivered id is eventually deleted
 * (names as the simulator's invariants, models/README.md "Property names")
 * Liveness rows run with -f (weak fairness); with one process and bounded faults no
 * run can postpone progress forever, so the result does not depend on it.
 * Bounds: 3 message ids, 2 lost pushes, 2 lost acks, 2 offline periods.
 * Expected: all three hold (paper and hardened do not differ here).  Mutants:
 *   -DMUTANT_DELETE_ON_PUSH (delete when pushed, not when acked) violates
 *   deleted_after_delivery and exactly_once_delivery; -DMUTANT_NO_DEDUP (B gives
 *   repeated ids to the app) violates exactly_once_delivery.
 * Measured (check_models.py, SPIN 6.5.2, pan -a -f -w19, one core, 2026-11-23):
 *   exactly_once_delivery 10395 states, depth 93, 0.07 s; offline_store_empty_at_quiescence
 *   11352 states, depth 96, 0.17 s; deleted_after_delivery 11201 states, depth 93,
 *   0.06 s; 5.9 MB.  Mutants violated after 11, 17 and 6644 states.
 */
#include "../common/events.pml"

#define N_IDS 3
#define LOST_PUSHES 2
#define LOST_ACKS 2
#define OFFLINE_PERIODS 2

byte n_sent = 0;
bool stored[N_IDS];
bool push_inflight[N_IDS];
bool ack_inflight[N_IDS];
bool b_online = false;
bool b_seen[N_IDS];
byte lost_pushes = LOST_PUSHES, lost_acks = LOST_ACKS, offline_periods = OFFLINE_PERIODS;

/* ghosts */
byte app[N_IDS];                    /* times each id reached B's app */
bool dup_app = false;
bool deleted_undelivered = false;
byte undelivered = 0;               /* handed to the server, not yet in B's app */
byte n_stored = 0;
byte delivered_not_deleted = 0;

ltl exactly_once_delivery { [] !dup_app && [] (undelivered > 0 -> <> (undelivered == 0)) }
ltl offline_store_empty_at_quiescence { <> [] (n_stored == 0) }
ltl deleted_after_delivery { [] !deleted_undelivered &&
                             [] (delivered_not_deleted > 0 -> <> (delivered_not_deleted == 0)) }

inline server_delete(i) {
  EMIT(EV_STORE_DELETE, SRV, PB, i);
  if
  :: app[i] == 0 -> deleted_undelivered = true
  :: else -> delivered_not_deleted--
  fi;
  stored[i] = false;
  n_stored--
}

#define PUSH(i) :: atomic { stored[i] && b_online && !push_inflight[i] && !ack_inflight[i] -> \
  EMIT(EV_STORE_PUSH, SRV, PB, i); push_inflight[i] = true; PUSH_EFFECT(i) }
#ifdef MUTANT_DELETE_ON_PUSH
#define PUSH_EFFECT(i) server_delete(i)
#else
#define PUSH_EFFECT(i) skip
#endif

#define LOSE_PUSH(i) :: atomic { push_inflight[i] && lost_pushes > 0 -> \
  EMIT(EV_MSG_DROP, NET, PB, i); lost_pushes--; push_inflight[i] = false }
#define LOSE_ACK(i) :: atomic { ack_inflight[i] && lost_acks > 0 -> \
  EMIT(EV_MSG_DROP, NET, SRV, i); lost_acks--; ack_inflight[i] = false }

#ifdef MUTANT_NO_DEDUP
#define FRESH_ID(i) true
#else
#define FRESH_ID(i) (!b_seen[i])
#endif

/* B opens a pushed copy: deliver once, acknowledge always */
#define B_RECEIVE(i) :: atomic { push_inflight[i] && b_online -> \
  push_inflight[i] = false; \
  if \
  :: FRESH_ID(i) -> EMIT(EV_MSG_DELIVER, PB, PA, i); \
     if :: app[i] > 0 -> dup_app = true :: else -> undelivered--; \
        if :: stored[i] -> delivered_not_deleted++ :: else -> skip fi \
     fi; \
     app[i]++; b_seen[i] = true \
  :: else -> EMIT(EV_MSG_REJECT, PB, PA, i) \
  fi; \
  EMIT(EV_STORE_ACK, PB, SRV, i); ack_inflight[i] = true }

#define SERVER_ACK(i) :: atomic { ack_inflight[i] -> ack_inflight[i] = false; \
  if :: stored[i] -> server_delete(i) :: else -> skip fi }

proctype environment() {
  do
  :: atomic { n_sent < N_IDS ->
       EMIT(EV_STORE_PUT, SRV, PB, n_sent);
       stored[n_sent] = true; n_stored++; undelivered++; n_sent++ }
  :: atomic { !b_online -> EMIT(EV_PHONE_ONLINE, PB, NET, 0); b_online = true }
  :: atomic { b_online && offline_periods > 0 ->
       EMIT(EV_PHONE_OFFLINE, PB, NET, 0); offline_periods--; b_online = false;
       /* copies in flight to an offline phone are lost */
       push_inflight[0] = false; push_inflight[1] = false; push_inflight[2] = false }
  PUSH(0)
  PUSH(1)
  PUSH(2)
  LOSE_PUSH(0)
  LOSE_PUSH(1)
  LOSE_PUSH(2)
  LOSE_ACK(0)
  LOSE_ACK(1)
  LOSE_ACK(2)
  B_RECEIVE(0)
  B_RECEIVE(1)
  B_RECEIVE(2)
  SERVER_ACK(0)
  SERVER_ACK(1)
  SERVER_ACK(2)
  od
}

init {
  atomic { TRACE_INIT; run environment() }
}
