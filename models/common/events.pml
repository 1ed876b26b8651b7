/*
 * models/common/events.pml -- the abstract trace alphabet shared by every SPMC model.
 *
 * The numbers below are the encoding used by trace include files (TRACE_CHECK mode) and
 * by the simulator's projection; models/README.md holds the same table in prose.  Change
 * both together.
 *
 * An event is (k, a, b, x): k = kind, a = acting principal, b = the other principal,
 * x = the numeric argument (timestamp, counter, epoch or message id).
 *
 * Normal mode: EMIT(...) is a no-op, every behaviour of the model is explored.
 * TRACE_CHECK mode (-DTRACE_CHECK, with a generated file common/trace.h defining
 * TRACE_LEN and TRACE_FILL): EMIT blocks unless the event is the next one of the trace,
 * then advances; `consumed` becomes true after the last event.  Verify
 * `./pan -a -N trace_not_consumed`: a counterexample means the model can produce the
 * whole trace (trace accepted); "errors: 0" means it cannot (trace rejected).
 */

/* principals */
#define NET 0   /* the network / the environment itself */
#define PA  1   /* phone A (sender, organiser) */
#define PB  2   /* phone B (recipient, member 1) */
#define PC  3   /* phone C (member 2) */
#define SRV 4   /* the chat / store-and-forward server (also the CA) */

/* event kinds */
#define EV_KEYSHARE_SEND     1  /* keyshare_send(A,B,ts)        A seals a key share for B      */
#define EV_KEYSHARE_ACCEPT   2  /* keyshare_accept(B,A,ts)      B installs it                  */
#define EV_KEYSHARE_REJECT   3  /* keyshare_reject(B,A,ts)      replay / expired / stale       */
#define EV_MSG_SEND          4  /* msg_send(A,B,ctr)            envelope with counter ctr      */
#define EV_MSG_DELIVER       5  /* msg_deliver(B,A,ctr)         opened and given to the app    */
#define EV_MSG_REJECT        6  /* msg_reject(B,A,ctr)          replay/too_old/too_far/expired */
#define EV_MSG_DROP          7  /* msg_drop(net,B,ctr)          network loses a copy           */
#define EV_MSG_DUP           8  /* msg_dup(net,B,ctr)           network delivers an extra copy */
#define EV_STORE_PUT         9  /* store_put(S,B,id)            server queues for offline B    */
#define EV_STORE_PUSH       10  /* store_push(S,B,id)           server sends a stored copy     */
#define EV_STORE_ACK        11  /* store_ack(B,S,id)            B acknowledges id              */
#define EV_STORE_DELETE     12  /* store_delete(S,B,id)         server erases id               */
#define EV_PHONE_ONLINE     13  /* phone_online(P,net,0)                                       */
#define EV_PHONE_OFFLINE    14  /* phone_offline(P,net,0)                                      */
#define EV_CLOCK_TICK       15  /* clock_tick(net,net,t)        application time becomes t     */
#define EV_GROUP_REMOVE     16  /* group_remove(O,M,epoch)      organiser removes M            */
#define EV_GROUP_MSG_SEND   17  /* group_msg_send(S,net,epoch)  member S sends to the group    */
#define EV_GROUP_MSG_READ   18  /* group_msg_read(M,S,epoch)    M opens a group message of S   */
#define EV_CERT_ISSUE       19  /* cert_issue(S,owner,keyowner) CA certifies keyowner's key as owner's */
#define EV_U2U_OPTIN        20  /* u2u_optin(A,B,0) request+accept                             */
#define EV_U2U_HASH_SEND    21  /* u2u_hash_send(A,B,h)         h = whose secret hash (principal) */
#define EV_U2U_HASH_RECV    22  /* u2u_hash_recv(B,A,h)                                        */
#define EV_U2U_AUTH_SEND    23  /* u2u_auth_send(A,B,h)                                        */
#define EV_U2U_AUTH_OK      24  /* u2u_auth_ok(B,A,0)                                          */
#define EV_U2U_AUTH_FAIL    25  /* u2u_auth_fail(B,A,0)         u2u_mismatch                   */
#define EV_SERVER_READ      26  /* server_read(S,A,x)           the server opens A's traffic    */
#define EV_FAULTS_OFF       27  /* faults_off(net,net,0)        liveness phase begins           */

typedef Event { byte k; byte a; byte b; short x }

#ifdef TRACE_CHECK
#include "trace.h"
Event tr_events[TRACE_LEN];
short tpos = 0;
bool consumed = false;
#define EMIT(K, A, B, X) \
  (tpos < TRACE_LEN && tr_events[tpos].k == (K) && tr_events[tpos].a == (A) && \
   tr_events[tpos].b == (B) && tr_events[tpos].x == (X)); \
  tpos++; \
  consumed = (tpos == TRACE_LEN)
#define TRACE_INIT TRACE_FILL
ltl trace_not_consumed { [] !consumed }
/* check_trace.py defines TRACE_PREFIX_CLAIMS in trace.h (`ltl reach_k { [] (tpos < k) }`
 * for k = 1..TRACE_LEN) to report the longest prefix the model can produce. */
#ifdef TRACE_PREFIX_CLAIMS
TRACE_PREFIX_CLAIMS
#endif
#else
/* pan does not execute printf during a search; `spin -t` prints the events of a trail,
 * which check_models.py decodes into the abstract trace of the counterexample. */
#define EMIT(K, A, B, X) printf("@event %d %d %d %d\n", K, A, B, X)
#define TRACE_INIT skip
#endif
