#define _GNU_SOURCE
#include "ns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "utils.h"

static const char *const NAMES[NS_COUNT] = {"mnt", "pid", "net", "ipc", "uts", "cgroup", "user"};
static const int FLAGS[NS_COUNT] = {CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET,
                                    CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWUSER};

static int ns_index(const char *name) {
  for (int i = 0; i < NS_COUNT; i++) {
    if (strcmp(name, NAMES[i]) == 0) {
      return i;
    }
  }
  return -1;
}

int ns_open(const plan_t *plan, ns_set_t *ns, shim_error_t *e) {
  for (int i = 0; i < NS_COUNT; i++) {
    ns->fd[i] = -1;
    ns->create[i] = 0;
  }
  ns->fork_pid = 0;
  PLAN_FOREACH(plan, "ns", r) {
    int i = r->nfields == 2 ? ns_index(r->f[0].data) : -1;
    if (i < 0) {
      return shim_fail(e, EINVAL, "namespaces", "unknown namespace record %s", r->nfields ? r->f[0].data : "");
    }
    if (r->f[1].len == 0) {
      if (i == NS_USER) {
        return shim_fail(e, EINVAL, "namespaces", "a user namespace is only joined (the pod's), never made by the helper");
      }
      ns->create[i] = 1;
      continue;
    }
    ns->fd[i] = open(r->f[1].data, O_RDONLY | O_CLOEXEC);
    if (ns->fd[i] < 0) {
      return shim_fail(e, errno, "namespaces", "open %s namespace %s", NAMES[i], r->f[1].data);
    }
  }
  return 0;
}

void ns_close(ns_set_t *ns) {
  for (int i = 0; i < NS_COUNT; i++) {
    if (ns->fd[i] >= 0) {
      close(ns->fd[i]);
      ns->fd[i] = -1;
    }
  }
}

int ns_prepare_pid(ns_set_t *ns, int *clone_flags, shim_error_t *e) {
  /* Made by clone here, a PID namespace would belong to the host's user namespace. */
  ns->fork_pid = ns->create[NS_PID] && ns->fd[NS_USER] >= 0;
  *clone_flags = ns->create[NS_PID] && !ns->fork_pid ? CLONE_NEWPID : 0;
  if (ns->fd[NS_PID] >= 0 && setns(ns->fd[NS_PID], CLONE_NEWPID) < 0) {
    return shim_fail(e, errno, "namespaces", "join pid namespace");
  }
  return 0;
}

int ns_join_user(ns_set_t *ns, shim_error_t *e) {
  if (ns->fd[NS_USER] < 0) {
    return 0;
  }
  if (setns(ns->fd[NS_USER], CLONE_NEWUSER) < 0) {
    return shim_fail(e, errno, "namespaces", "join user namespace");
  }
  close(ns->fd[NS_USER]);
  ns->fd[NS_USER] = -1;
  if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
    return shim_fail(e, errno, "namespaces", "become root of the user namespace (is id 0 mapped?)");
  }
  return 0;
}

int ns_fork_pid(int sync, shim_error_t *e) {
  if (unshare(CLONE_NEWPID) < 0) {
    return shim_fail(e, errno, "namespaces", "unshare pid namespace in the user namespace");
  }
  /* The child waits until its pid is sent, so the monitor reads it before anything else. */
  int sent[2];
  if (pipe2(sent, O_CLOEXEC) < 0) {
    return shim_fail(e, errno, "namespaces", "pipe");
  }
  pid_t pid = fork();
  if (pid < 0) {
    return shim_fail(e, errno, "namespaces", "fork into the new pid namespace");
  }
  if (pid > 0) {
    sync_msg_t msg;
    memset(&msg, 0, sizeof msg);
    msg.kind = SYNC_PID;
    msg.pid = pid;
    (void)write_all(sync, &msg, sizeof msg);
    _exit(0); /* the monitor, a subreaper, becomes the child's parent; the pipe closes */
  }
  close(sent[1]);
  char byte;
  while (read_retry(sent[0], &byte, 1) > 0) {
  }
  close(sent[0]);
  return 0;
}

int ns_join(ns_set_t *ns, shim_error_t *e) {
  static const int ORDER[] = {NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_MNT};
  for (size_t k = 0; k < sizeof ORDER / sizeof ORDER[0]; k++) {
    int i = ORDER[k];
    if (ns->fd[i] >= 0 && setns(ns->fd[i], FLAGS[i]) < 0) {
      return shim_fail(e, errno, "namespaces", "join %s namespace", NAMES[i]);
    }
  }
  return 0;
}

int ns_unshare(const ns_set_t *ns, shim_error_t *e) {
  int flags = 0;
  for (int i = 0; i < NS_COUNT; i++) {
    if (i != NS_PID && i != NS_USER && ns->create[i]) {
      flags |= FLAGS[i];
    }
  }
  if (flags != 0 && unshare(flags) < 0) {
    return shim_fail(e, errno, "namespaces", "unshare 0x%x", flags);
  }
  return 0;
}
