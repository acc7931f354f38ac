#define _GNU_SOURCE
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "init.h"
#include "mounts.h"
#include "process.h"
#include "security.h"
#include "utils.h"

static void report(int fd, char kind, const shim_error_t *err) {
  sync_msg_t msg;
  memset(&msg, 0, sizeof msg);
  msg.kind = kind;
  if (err != NULL) {
    msg.err = *err;
  }
  (void)write_all(fd, &msg, sizeof msg);
}

/* Without a terminal, the monitor's pipes become 0-2 now; a terminal is opened later, inside. */
static int setup_stdio(const child_io_t *io, shim_error_t *e) {
  if (setsid() < 0) {
    return shim_fail(e, errno, "stdio", "setsid");
  }
  if (io->console >= 0) {
    return 0;
  }
  int fds[3] = {io->in, io->out, io->err};
  for (int fd = 0; fd < 3; fd++) {
    if (dup2(fds[fd], fd) < 0) {
      return shim_fail(e, errno, "stdio", "dup to %d", fd);
    }
  }
  return 0;
}

static int setup_terminal(const plan_t *plan, const child_io_t *io, shim_error_t *e) {
  if (io->console < 0) {
    return 0;
  }
  const plan_record_t *user = plan_find(plan, "user");
  long long uid = 0;
  if (user != NULL && (user->nfields < 1 || parse_long(user->f[0].data, &uid) < 0)) {
    return shim_fail(e, EINVAL, "terminal", "bad user record");
  }
  return console_setup(io->console,
                       /* Not on a host directory mounted at /dev: binding there would create the file on the host. */
                       plan_find(plan, "rootfs") != NULL && !plan_num(plan, "no-console", 0), (uid_t)uid, e);
}

static int join_cgroups(const plan_t *plan, shim_error_t *e) {
  PLAN_FOREACH(plan, "cgroup", r) {
    if (write_file(r->f[0].data, "0", 1, e, "cgroup") < 0) {
      return -1;
    }
  }
  return 0;
}

static int setup_filesystem(const plan_t *plan, shim_error_t *e) {
  const char *rootfs = plan_str(plan, "rootfs", NULL);
  if (rootfs == NULL) {
    return process_limits(plan, e); /* exec: the joined mount namespace is already the container's */
  }
  cleanup_close int rootfd = -1;
  if (rootfs_prepare(plan, &rootfd, e) < 0 || mounts_apply(plan, rootfd, e) < 0 ||
      devices_create(plan, rootfd, e) < 0 ||
      process_limits(plan, e) < 0 || rootfs_pivot(rootfs, e) < 0) {
    return -1;
  }
  return 0;
}

static int setup(const plan_t *plan, ns_set_t *ns, const child_io_t *io, shim_error_t *e) {
  /* Ignored signals survive execve: give the program default dispositions and an empty mask,
   * whatever the daemon or the monitor had. */
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      signal(sig, SIG_DFL);
    }
  }
  /* Bind sources, idmapping and a lowered oom_score_adj need the host's privilege: done before the
   * user namespace is joined. */
  if (join_cgroups(plan, e) < 0 || process_oom_score(plan, e) < 0 || mounts_prepare(plan, ns->fd[NS_USER], e) < 0 ||
      ns_join_user(ns, e) < 0 ||
      (ns->fork_pid && ns_fork_pid(io->sync, e) < 0)) {
    return -1;
  }
  if (setup_stdio(io, e) < 0 || ns_join(ns, e) < 0 || ns_unshare(ns, e) < 0) {
    return -1;
  }
  ns_close(ns);
  /* The terminal comes from the container's own devpts, so "/" must be the container's first. */
  if (setup_filesystem(plan, e) < 0 || setup_terminal(plan, io, e) < 0) {
    return -1;
  }
  /* Sysctls go through /proc/sys before it becomes read-only, as runc orders it. */
  if (process_kernel_settings(plan, ns->create[NS_UTS], e) < 0) {
    return -1;
  }
  return plan_find(plan, "rootfs") != NULL ? paths_protect(plan, e) : 0;
}

void child_run(const plan_t *plan, ns_set_t *ns, const child_io_t *io) {
  shim_error_t err = {0};
  char **argv = NULL, **envp = NULL;
  char program[PATH_MAX];
  int builtin_init = plan_num(plan, "init", 0) != 0;

  if (setup(plan, ns, io, &err) < 0 || plan_strv(plan, "arg", &argv, &err) < 0 ||
      plan_strv(plan, "env", &envp, &err) < 0) {
    goto fail;
  }
  close_fds_from(3, io->sync, io->start);
  if (security_apply(plan, &err) < 0 || process_cwd(plan, &err) < 0) {
    goto fail;
  }
  if (!builtin_init && process_resolve(argv, envp, program, &err) < 0) {
    goto fail;
  }
  report(io->sync, SYNC_READY, NULL);

  char go;
  if (read_retry(io->start, &go, 1) != 1) {
    _exit(1); /* the monitor went away before start: never run the program */
  }
  close(io->start);
  if (builtin_init) {
    close(io->sync);
    init_run();
  }
  execve(program, argv, envp);
  shim_fail(&err, errno, "exec", "%s", program);
  report(io->sync, SYNC_ERROR, &err);
  _exit(127);

fail:
  report(io->sync, SYNC_ERROR, &err);
  _exit(1);
}
