/* The container side, between clone and exec: carries the plan out in order, reports "ready" or
 * the failed step to its monitor, waits for start, then execs. Never returns. */
#ifndef KONA_CHILD_H
#define KONA_CHILD_H

#include "error.h"
#include "ns.h"
#include "plan.h"

enum { SYNC_READY = 'R', SYNC_ERROR = 'E', SYNC_PID = 'P' };

/* One message child -> monitor; small enough for an atomic pipe write. */
typedef struct sync_msg {
  char kind;
  int pid; /* SYNC_PID: the container process, forked into its PID namespace */
  shim_error_t err;
} sync_msg_t;

typedef struct child_io {
  int in, out, err; /* stdio for the process, or -1 when a terminal is used */
  int console;      /* with a terminal: the socket its master goes back to the monitor on, else -1 */
  int sync;         /* write end: ready / error, and exec failure after start */
  int start;        /* read end: one byte means start, EOF means give up */
} child_io_t;

__attribute__((noreturn)) void child_run(const plan_t *plan, ns_set_t *ns, const child_io_t *io);

#endif
