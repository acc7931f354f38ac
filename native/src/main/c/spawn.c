/* The monitor's first job: stdio for the container (pipes or a terminal), the sync pipes, the
 * namespaces to join, then the clone. Returns once the child waits for start, or has failed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "monitor.h"
#include "ns.h"
#include "utils.h"

static int open_stdio(monitor_t *m, const plan_t *plan, child_io_t *io, shim_error_t *e) {
  int p[2];
  io->in = io->out = io->err = io->tty = -1;
  if (plan_num(plan, "tty", 0)) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    char name[64];
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0) {
      return shim_fail(e, errno, "stdio", "open a terminal");
    }
    io->tty = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    snprintf(io->tty_name, sizeof io->tty_name, "%s", name);
    if (io->tty < 0) {
      return shim_fail(e, errno, "stdio", "open %s", name);
    }
    const plan_record_t *size = plan_find(plan, "console-size");
    if (size != NULL && size->nfields == 2) {
      struct winsize ws = {.ws_row = (unsigned short)atoi(size->f[0].data), .ws_col = (unsigned short)atoi(size->f[1].data)};
      ioctl(master, TIOCSWINSZ, &ws);
    }
    m->tty = 1;
    m->out_fd = m->in_fd = master;
    fcntl(master, F_SETFL, O_NONBLOCK); /* see write_stdin; reads poll first */
    return 0;
  }
  if (pipe2(p, O_CLOEXEC) < 0) {
    return shim_fail(e, errno, "stdio", "stdout pipe");
  }
  m->out_fd = p[0];
  io->out = p[1];
  if (pipe2(p, O_CLOEXEC) < 0) {
    return shim_fail(e, errno, "stdio", "stderr pipe");
  }
  m->err_fd = p[0];
  io->err = p[1];
  if (plan_num(plan, "stdin", 0)) {
    if (pipe2(p, O_CLOEXEC) < 0) {
      return shim_fail(e, errno, "stdio", "stdin pipe");
    }
    io->in = p[0];
    m->in_fd = p[1];
    fcntl(m->in_fd, F_SETFL, O_NONBLOCK); /* a process that never reads stdin must not block us */
  } else if ((io->in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
    return shim_fail(e, errno, "stdio", "open /dev/null");
  }
  return 0;
}

/* Everything up to the container waiting for start; returns the container pid or -1. */
pid_t monitor_spawn(monitor_t *m, shim_error_t *e) {
  const plan_t *plan = m->plan;
  child_io_t io;
  ns_set_t ns;
  int sync_p[2], start_p[2], clone_flags;
  if (open_stdio(m, plan, &io, e) < 0 || ns_open(plan, &ns, e) < 0) {
    return -1;
  }
  if (pipe2(sync_p, O_CLOEXEC) < 0 || pipe2(start_p, O_CLOEXEC) < 0) {
    return shim_fail(e, errno, "monitor", "sync pipes");
  }
  if (crilog_open(&m->log, plan_str(plan, "log", NULL), (size_t)plan_num(plan, "log-max-line", 0), e) < 0 ||
      ns_prepare_pid(&ns, &clone_flags, e) < 0) {
    return -1;
  }
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(clone_flags | SIGCHLD), 0, 0, 0, 0);
  if (pid < 0) {
    return shim_fail(e, errno, "monitor", "clone 0x%x", clone_flags);
  }
  if (pid == 0) {
    close(sync_p[0]);
    close(start_p[1]);
    io.sync = sync_p[1];
    io.start = start_p[0];
    child_run(plan, &ns, &io);
  }
  ns_close(&ns);
  close(sync_p[1]);
  close(start_p[0]);
  int child_fds[] = {io.in, io.out, io.err, io.tty};
  for (size_t i = 0; i < 4; i++) {
    if (child_fds[i] >= 0) {
      close(child_fds[i]);
    }
  }
  m->sync_fd = sync_p[0];
  m->start_fd = start_p[1];
  m->pid = pid;
  sync_msg_t msg;
  ssize_t n = read_full(m->sync_fd, &msg, sizeof msg);
  if (n != (ssize_t)sizeof msg || msg.kind != SYNC_READY) {
    if (n == (ssize_t)sizeof msg && msg.kind == SYNC_ERROR) {
      *e = msg.err;
    } else {
      shim_fail(e, 0, "setup", "container process died before reporting");
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    m->pid = 0; /* reaped: its pid may be reused, never signal it again */
    return -1;
  }
  return pid;
}

