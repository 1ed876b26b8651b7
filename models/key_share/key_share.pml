/*
 * models/key_share/key_share.pml -- A -> B key shares and messages relayed by a
 * store-and-forward server to a recipient that is offline for arbitrary periods, under an
 * attacker that keeps copies and redelivers or reorders anything (replay rule KS-010,
 * lifetime KS-012..KS-014, ENV-004).
 *
 * Components: `environment` (the only process) advances the shared application clock,
 * lets A rekey (keyshare_send with ts = now) or send a message under its current key
 * (only while unexpired, KS-014), and hands B any key share or message ever sent, in any
 * order and any number of times (B being offline = the server holding it longer).
 * B's handlers are inlines run atomically.  Lifetimes are `duration` (the session kind
 * reduces to "newest key wins", which the replay rule already covers).
 *
 * Properties:
 *   no_replay_accepted   no key share (identified by its timestamp) is accepted twice
 *   no_expired_accepted  no message is accepted whose sent_ms is at or after the end of
 *                        its key's lifetime, and no key share is installed after expiry
 * Bounds (each overridable with -D): application time 1..TMAX=5 (at most 8), lifetime
 *   L=2, at most MAX_KS=3 key shares and MAX_MSGS=3 messages (at most 6).
 *   One global application clock (server-synchronised, KS-004): the server cannot skew a
 *   phone's clock in this model.  sent_ms is authenticated (ENV-002 AAD), so the attacker
 *   replays messages but cannot change sent_ms.
 * Expected: both hold in paper and hardened (the rule does not differ between profiles).
 *   Mutants -DMUTANT_NO_REPLAY_RULE and -DMUTANT_NO_EXPIRY_CHECK violate them.
 * Measured (check_models.py, SPIN 6.5.2, pan -a -w19, one core, 2026-11-23):
 *   both properties  10286 states, depth 55, 5.8 MB, 0.03 s
 *   mutants violated after 12 (NO_REPLAY_RULE) and 130 (NO_EXPIRY_CHECK) states
 */
#include "../common/events.pml"

/* Every bound can be overridden with -D (trace checking sets them from the trace). */
#ifndef TMAX
#define TMAX 5
#endif
#ifndef L
#define L 2
#endif
#ifndef MAX_KS
#define MAX_KS 3
#endif
#ifndef MAX_MSGS
#define MAX_MSGS 3
#endif

byte now = 1;
/* A */
byte a_key = 0;               /* ts of A's current key share, 0 = none */
byte n_ks = 0;
bool ks_sent[TMAX + 1];       /* key shares ever sent, by timestamp */
byte n_msgs = 0;
byte msg_key[MAX_MSGS];       /* key timestamp named by each message */
byte msg_sent[MAX_MSGS];      /* its sent_ms */
/* B */
byte b_last = 0;              /* KS-010: last accepted timestamp from A */
bool b_has[TMAX + 1];         /* key shares B holds, by timestamp */
/* ghosts */
byte ks_acc[TMAX + 1];
bool replay_accepted = false;
bool expired_accepted = false;

ltl no_replay_accepted  { [] !replay_accepted }
ltl no_expired_accepted { [] !expired_accepted }

/* The checks, each replaceable by a mutant to show the property is not vacuous. */
#ifdef MUTANT_NO_REPLAY_RULE
#define FRESH(ts) true
#else
#define FRESH(ts) (ts > b_last)                       /* KS-010 */
#endif
#ifdef MUTANT_NO_EXPIRY_CHECK
#define KEY_ALIVE(ts) true
#define SENT_IN_LIFETIME(i) true
#else
#define KEY_ALIVE(ts) (ts + L > now)                  /* KS-013 */
#define SENT_IN_LIFETIME(i) (msg_sent[i] < msg_key[i] + L)   /* KS-014, ENV-004 */
#endif

inline b_open_key_share(ts) {
  if
  :: !(FRESH(ts) && KEY_ALIVE(ts)) -> EMIT(EV_KEYSHARE_REJECT, PB, PA, ts)   /* KS-015 */
  :: else ->
     EMIT(EV_KEYSHARE_ACCEPT, PB, PA, ts);
     if
     :: ks_acc[ts] > 0 -> replay_accepted = true
     :: else -> skip
     fi;
     if
     :: ts + L <= now -> expired_accepted = true
     :: else -> skip
     fi;
     ks_acc[ts]++;
     b_has[ts] = true;
     if
     :: ts > b_last -> b_last = ts
     :: else -> skip
     fi
  fi
}

inline b_open_message(i) {
  if
  :: !(b_has[msg_key[i]] && SENT_IN_LIFETIME(i)) ->
     EMIT(EV_MSG_REJECT, PB, PA, i)                  /* unknown key / expired KS-014 */
  :: else ->
     EMIT(EV_MSG_DELIVER, PB, PA, i);
     if
     :: msg_sent[i] >= msg_key[i] + L -> expired_accepted = true
     :: else -> skip
     fi
  fi
}

#define RELAY_KS(t) :: atomic { t <= TMAX && ks_sent[t] -> b_open_key_share(t) }
#define RELAY_MSG(i) :: atomic { n_msgs > i -> b_open_message(i) }

proctype environment() {
  do
  :: atomic { now < TMAX -> now++; EMIT(EV_CLOCK_TICK, NET, NET, now) }
  :: atomic { n_ks < MAX_KS && now > a_key ->
       a_key = now; ks_sent[now] = true; n_ks++;
       EMIT(EV_KEYSHARE_SEND, PA, PB, now) }
  :: atomic { n_msgs < MAX_MSGS && a_key > 0 && now < a_key + L ->   /* KS-014 */
       msg_key[n_msgs] = a_key; msg_sent[n_msgs] = now;
       EMIT(EV_MSG_SEND, PA, PB, n_msgs);
       n_msgs++ }
  RELAY_KS(1)
  RELAY_KS(2)
  RELAY_KS(3)
  RELAY_KS(4)
  RELAY_KS(5)
  RELAY_KS(6)
  RELAY_KS(7)
  RELAY_KS(8)        /* TMAX <= 8 */
  RELAY_MSG(0)
  RELAY_MSG(1)
  RELAY_MSG(2)
  RELAY_MSG(3)
  RELAY_MSG(4)
  RELAY_MSG(5)       /* MAX_MSGS <= 6 */
  od
}

init {
  atomic { TRACE_INIT; run environment() }
}
