/* Namespaces: the monitor opens the files to join (so paths resolve on the host), the container
 * side joins them and unshares the rest. PID is special: it applies to children, so the monitor
 * enters a joined one before cloning and a new one is made by the clone itself. */
#ifndef KONA_NS_H
#define KONA_NS_H

#include "error.h"
#include "plan.h"

enum { NS_MNT, NS_PID, NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_USER, NS_COUNT };

typedef struct ns_set {
  int fd[NS_COUNT];   /* open ns file to join, or -1 */
  int create[NS_COUNT]; /* 1 if a new namespace is asked for */
  int fork_pid;         /* a new PID namespace made inside a joined user namespace: the child forks */
} ns_set_t;

int ns_open(const plan_t *plan, ns_set_t *ns, shim_error_t *e);
void ns_close(ns_set_t *ns);
/* Monitor side: enter a joined PID namespace; returns the clone flags for the container child. */
int ns_prepare_pid(ns_set_t *ns, int *clone_flags, shim_error_t *e);
/* Container side, first: join the pod's user namespace (only joined, never made here) and become
 * its root, as runc and crun do, so that what follows runs with the namespace's capabilities and
 * files it creates belong to its mapped root. */
int ns_join_user(ns_set_t *ns, shim_error_t *e);
/* Container side, after ns_join_user when fork_pid: a new PID namespace owned by the user namespace
 * (so /proc can be mounted inside it). The parent sends the child's pid on `sync` and exits; only
 * the child returns. */
int ns_fork_pid(int sync, shim_error_t *e);
/* Container side: setns into every joined namespace but PID and user (mount last). */
int ns_join(ns_set_t *ns, shim_error_t *e);
/* Container side: unshare every new namespace but PID. */
int ns_unshare(const ns_set_t *ns, shim_error_t *e);

#endif
