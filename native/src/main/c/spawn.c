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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "console.h"
#include "monitor.h"
#include "ns.h"
#include "utils.h"

/* With a terminal, only the socket its master comes back on: the container side opens it. */
static int open_stdio(monitor_t *m, const plan_t *plan, child_io_t *io, int *console, shim_error_t *e) {
  int p[2];
  io->in = io->out = io->err = io->console = -1;
  *console = -1;
  if (plan_num(plan, "tty", 0)) {
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p) < 0) {
      return shim_fail(e, errno, "stdio", "terminal socket");
    }
    *console = p[0];
    io->console = p[1];
    m->tty = 1;
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

/* The master the container side opened: stdout and stdin of the monitor, sized as the plan says. */
static int take_terminal(monitor_t *m, const plan_t *plan, int console, shim_error_t *e) {
  int master = console_receive(console, e);
  if (master < 0) {
    return -1;
  }
  const plan_record_t *size = plan_find(plan, "console-size");
  if (size != NULL && size->nfields == 2) {
    struct winsize ws = {.ws_row = (unsigned short)atoi(size->f[0].data), .ws_col = (unsigned short)atoi(size->f[1].data)};
    ioctl(master, TIOCSWINSZ, &ws);
  }
  m->out_fd = m->in_fd = master;
  fcntl(master, F_SETFL, O_NONBLOCK); /* see write_stdin; reads poll first */
  return 0;
}

/* Everything up to the container waiting for start; returns the container pid or -1. */
pid_t monitor_spawn(monitor_t *m, shim_error_t *e) {
  const plan_t *plan = m->plan;
  child_io_t io;
  ns_set_t ns;
  int sync_p[2], start_p[2], clone_flags, console;
  if (open_stdio(m, plan, &io, &console, e) < 0 || ns_open(plan, &ns, e) < 0) {
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
    if (console >= 0) {
      close(console);
    }
    io.sync = sync_p[1];
    io.start = start_p[0];
    child_run(plan, &ns, &io);
  }
  ns_close(&ns);
  close(sync_p[1]);
  close(start_p[0]);
  int child_fds[] = {io.in, io.out, io.err, io.console};
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
  if (n == (ssize_t)sizeof msg && msg.kind == SYNC_PID) {
    /* The first child forked the container into its PID namespace and exits: follow the fork. */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    pid = m->pid = msg.pid;
    n = read_full(m->sync_fd, &msg, sizeof msg);
  }
  if (n != (ssize_t)sizeof msg || msg.kind != SYNC_READY) {
    if (n == (ssize_t)sizeof msg && msg.kind == SYNC_ERROR) {
      *e = msg.err;
    } else {
      shim_fail(e, 0, "setup", "container process died before reporting");
    }
    goto fail;
  }
  if (console >= 0) {
    int rc = take_terminal(m, plan, console, e);
    close(console);
    console = -1;
    if (rc < 0) {
      goto fail;
    }
  }
  return pid;

fail:
  if (console >= 0) {
    close(console);
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
  m->pid = 0; /* reaped: its pid may be reused, never signal it again */
  return -1;
}
