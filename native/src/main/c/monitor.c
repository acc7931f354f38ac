#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "ns.h"
#include "utils.h"

/* What the monitor tells the `create` process it forked from. */
typedef struct report {
  char kind;
  pid_t monitor_pid, pid;
  shim_error_t err;
} report_t;

static monitor_t M;

static void send_report(int fd, char kind, pid_t pid, const shim_error_t *err) {
  report_t r;
  memset(&r, 0, sizeof r);
  r.kind = kind;
  r.monitor_pid = getpid();
  r.pid = pid;
  if (err != NULL) {
    r.err = *err;
  }
  (void)write_all(fd, &r, sizeof r);
}

void monitor_write_status(monitor_t *m) {
  static const char *const NAMES[] = {"created", "running", "stopped"};
  char buf[512];
  shim_error_t ignored;
  int n = snprintf(buf, sizeof buf,
                   "status=%s\nmonitor_pid=%d\nmonitor_start=%llu\npid=%d\npid_start=%llu\ncreated=%lld\n"
                   "started=%lld\nfinished=%lld\nexit_code=%d\nsignal=%d\noom=%d\n",
                   NAMES[m->status], getpid(), process_start_ticks(getpid()), m->pid, m->pid_start, (long long)m->created,
                   (long long)m->started, (long long)m->finished, m->exit_code, m->exit_signal, m->oom);
  (void)write_file_atomic(".", "status", buf, (size_t)n, &ignored);
}

void monitor_start(monitor_t *m, char *reply, size_t len) {
  if (m->status != ST_CREATED || m->start_fd < 0) {
    snprintf(reply, len, "error 16 container already started\n");
    return;
  }
  if (m->exited) {
    snprintf(reply, len, "error 3 container exited before start\n");
    return;
  }
  m->started = now_unix_nanos();
  m->status = ST_RUNNING;
  monitor_write_status(m);
  ssize_t w = write_all(m->start_fd, "1", 1);
  close(m->start_fd);
  m->start_fd = -1;
  if (w < 0) {
    snprintf(reply, len, "error %d container exited before start\n", errno);
    return;
  }
  /* The sync pipe closes on a successful execve; an error message means it failed. */
  sync_msg_t msg;
  ssize_t n = read_full(m->sync_fd, &msg, sizeof msg);
  close(m->sync_fd);
  m->sync_fd = -1;
  if (n == (ssize_t)sizeof msg && msg.kind == SYNC_ERROR) {
    char text[300];
    shim_error_format(&msg.err, text, sizeof text);
    snprintf(reply, len, "error %d %s\n", msg.err.err, text);
    return;
  }
  snprintf(reply, len, "ok\n");
}

static int oom_killed(const plan_t *plan) {
  const plan_record_t *r = plan_find(plan, "oom-file");
  char *text;
  size_t len;
  shim_error_t ignored;
  if (r == NULL || r->nfields != 2 || read_file(r->f[0].data, &text, &len, &ignored) < 0) {
    return 0;
  }
  int killed = 0;
  for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    size_t k = r->f[1].len;
    if (strncmp(line, r->f[1].data, k) == 0 && line[k] == ' ' && strtoll(line + k + 1, NULL, 10) > 0) {
      killed = 1;
    }
  }
  free(text);
  return killed;
}

/* Watches the oom-file (memory.events on v2) while the container runs. Under the systemd driver,
 * systemd removes a scope's cgroup as soon as its last process has exited, which can be before the
 * monitor reaps the container and reads the file: a kill seen while the cgroup still exists is
 * kept. v1's memory.oom_control sends no such events; there the read at exit is what counts. */
static void watch_oom(monitor_t *m) {
  const plan_record_t *r = plan_find(m->plan, "oom-file");
  m->oom_fd = -1;
  if (r == NULL || r->nfields != 2) {
    return;
  }
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd >= 0 && inotify_add_watch(fd, r->f[0].data, IN_MODIFY) < 0) {
    close(fd);
    fd = -1;
  }
  m->oom_fd = fd;
}

static void oom_event(monitor_t *m) {
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  while (read(m->oom_fd, buf, sizeof buf) > 0) {
  }
  if (oom_killed(m->plan)) {
    m->oom = 1;
  }
}

static void reap(monitor_t *m) {
  struct signalfd_siginfo si;
  while (read(m->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
  }
  int st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    if (pid == m->pid) {
      m->exited = 1;
      m->finished = now_unix_nanos();
      m->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
      m->exit_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
      /* Any OOM kill in the container's cgroup counts, as containerd reports it: the victim is
       * often a child, after which the first process exits with its own status. */
      m->oom = m->oom || oom_killed(m->plan);
    }
  }
}

/* Reads one chunk of container output; closes the fd at EOF (EIO on a terminal). Returns 1 after
 * data, 0 once closed, -1 when nothing is there now (non-blocking). */
static int pump(monitor_t *m, int *fd, int stream) {
  char buf[FRAME_MAX];
  ssize_t n = read_retry(*fd, buf, sizeof buf);
  if (n < 0 && errno == EAGAIN) {
    return -1;
  }
  if (n <= 0) {
    crilog_flush(&m->log, stream);
    if (*fd == m->in_fd) {
      m->in_fd = -1;
    }
    close(*fd);
    *fd = -1;
    return 0;
  }
  crilog_write(&m->log, stream, buf, (size_t)n);
  control_output(m, stream == STREAM_STDOUT ? FRAME_STDOUT : FRAME_STDERR, buf, (size_t)n);
  return 1;
}

__attribute__((noreturn)) static void finish(monitor_t *m) {
  /* Output still buffered in the pipes belongs to the container: take it before closing. */
  int *fds[] = {&m->out_fd, &m->err_fd};
  for (int s = 0; s < 2; s++) {
    if (*fds[s] >= 0) {
      fcntl(*fds[s], F_SETFL, O_NONBLOCK);
      while (pump(m, fds[s], s) > 0) {
      }
    }
  }
  crilog_close(&m->log);
  m->status = ST_STOPPED;
  monitor_write_status(m);
  unlink(CONTROL_SOCKET);
  control_finish(m);
  _exit(0);
}

__attribute__((noreturn)) static void loop(monitor_t *m) {
  struct pollfd fds[5 + MAX_CLIENTS];
  client_t *owner[5 + MAX_CLIENTS];
  for (;;) {
    if (m->exited) {
      finish(m);
    }
    nfds_t n = 0;
    fds[n++] = (struct pollfd){.fd = m->sigfd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = m->listen_fd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = m->out_fd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = m->err_fd, .events = POLLIN};
    fds[n++] = (struct pollfd){.fd = m->oom_fd, .events = POLLIN};
    for (int i = 0; i < MAX_CLIENTS; i++) {
      if (m->clients[i].mode != CLIENT_FREE) {
        owner[n] = &m->clients[i];
        fds[n++] = (struct pollfd){.fd = m->clients[i].fd, .events = POLLIN};
      }
    }
    if (poll(fds, n, -1) < 0) {
      continue;
    }
    if (fds[2].revents && m->out_fd >= 0) {
      pump(m, &m->out_fd, STREAM_STDOUT);
    }
    if (fds[3].revents && m->err_fd >= 0) {
      pump(m, &m->err_fd, STREAM_STDERR);
    }
    for (nfds_t i = 5; i < n; i++) {
      if (fds[i].revents && owner[i]->mode != CLIENT_FREE && owner[i]->fd == fds[i].fd) {
        control_readable(m, owner[i]);
      }
    }
    if (fds[1].revents) {
      control_accept(m);
    }
    if (fds[4].revents && m->oom_fd >= 0) {
      oom_event(m); /* before the exit in the same wake-up: the cgroup may be gone after it */
    }
    if (fds[0].revents) {
      reap(m);
    }
  }
}

__attribute__((noreturn)) static void monitor_main(const plan_t *plan, const char *dir, int report_fd) {
  monitor_t *m = &M;
  shim_error_t err = {0};
  m->plan = plan;
  m->out_fd = m->err_fd = m->in_fd = m->sync_fd = m->start_fd = m->listen_fd = m->oom_fd = -1;
  m->stdin_once = plan_num(plan, "stdin-once", 0) != 0;
  m->created = now_unix_nanos();
  for (int i = 0; i < MAX_CLIENTS; i++) {
    m->clients[i].fd = -1;
  }
  setsid();
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; fd++) {
    dup2(null, fd);
  }
  close(null);
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  m->sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  if (m->sigfd < 0 || chdir(dir) < 0) {
    shim_fail(&err, errno, "monitor", "prepare in %s", dir);
    goto fail;
  }
  if (monitor_spawn(m, &err) < 0 || control_listen(m, &err) < 0) {
    goto fail;
  }
  watch_oom(m);
  m->status = ST_CREATED;
  m->pid_start = process_start_ticks(m->pid);
  monitor_write_status(m);
  send_report(report_fd, 'C', m->pid, NULL);
  close(report_fd);
  loop(m);

fail:
  if (m->pid > 0) {
    kill(m->pid, SIGKILL);
    waitpid(m->pid, NULL, 0);
  }
  unlink(CONTROL_SOCKET);
  send_report(report_fd, 'E', 0, &err);
  _exit(1);
}

int monitor_create(const char *dir) {
  static plan_t plan;
  shim_error_t err = {0};
  char path[4096], text[400];
  int report_p[2];
  snprintf(path, sizeof path, "%s/plan", dir);
  if (plan_load(path, &plan, &err) < 0 || pipe2(report_p, O_CLOEXEC) < 0) {
    shim_error_format(&err, text, sizeof text);
    printf("error %d %s\n", err.err ? err.err : errno, text);
    return 1;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    printf("error %d fork monitor: %s\n", errno, strerror(errno));
    return 1;
  }
  if (pid == 0) {
    close(report_p[0]);
    monitor_main(&plan, dir, report_p[1]);
  }
  close(report_p[1]);
  report_t r;
  ssize_t n = read_full(report_p[0], &r, sizeof r);
  if (n != (ssize_t)sizeof r) {
    printf("error 0 monitor: exited during setup\n");
    return 1;
  }
  if (r.kind != 'C') {
    shim_error_format(&r.err, text, sizeof text);
    printf("error %d %s\n", r.err.err, text);
    waitpid(pid, NULL, 0);
    return 1;
  }
  printf("created %d %d\n", r.monitor_pid, r.pid);
  return 0;
}
