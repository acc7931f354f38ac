/* The control socket: one line per request ("start", "kill <sig>", "reopen", "state", "wait",
 * "attach"), one line per reply ("ok", "error <errno> <message>", ...). After "attach" the
 * connection carries frames both ways. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "monitor.h"
#include "utils.h"

void client_drop(monitor_t *m, client_t *c) {
  if (c->mode == CLIENT_ATTACH && c->sent_stdin && m->stdin_once && m->in_fd >= 0 && !m->tty) {
    close(m->in_fd);
    m->in_fd = -1;
  }
  close(c->fd);
  c->fd = -1;
  c->mode = CLIENT_FREE;
  c->len = 0;
}

int control_listen(monitor_t *m, shim_error_t *e) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, CONTROL_SOCKET);
  unlink(CONTROL_SOCKET);
  m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m->listen_fd < 0 || bind(m->listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
      listen(m->listen_fd, 16) < 0) {
    return shim_fail(e, errno, "monitor", "listen on " CONTROL_SOCKET);
  }
  return 0;
}

void control_accept(monitor_t *m) {
  int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) {
    return;
  }
  static char buffers[MAX_CLIENTS][CLIENT_BUF];
  for (int i = 0; i < MAX_CLIENTS; i++) {
    client_t *c = &m->clients[i];
    if (c->mode == CLIENT_FREE) {
      c->buf = buffers[i];
      /* A stuck reader must not stall the container's output for long. */
      struct timeval tv = {.tv_sec = 5, .tv_usec = 0};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      c->fd = fd;
      c->mode = CLIENT_COMMAND;
      c->len = 0;
      c->sent_stdin = 0;
      return;
    }
  }
  static const char busy[] = "error 16 too many control connections\n";
  (void)write_all(fd, busy, sizeof busy - 1);
  close(fd);
}

static int send_frame(client_t *c, int type, const char *data, size_t len) {
  unsigned char head[FRAME_HEADER] = {(unsigned char)type, (unsigned char)(len >> 24),
                                      (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                                      (unsigned char)len};
  if (write_all(c->fd, head, sizeof head) < 0 || (len > 0 && write_all(c->fd, data, len) < 0)) {
    return -1;
  }
  return 0;
}

void control_output(monitor_t *m, int type, const char *data, size_t len) {
  for (int i = 0; i < MAX_CLIENTS; i++) {
    client_t *c = &m->clients[i];
    if (c->mode == CLIENT_ATTACH && send_frame(c, type, data, len) < 0) {
      client_drop(m, c);
    }
  }
}

static void reply(client_t *c, const char *text) {
  (void)write_all(c->fd, text, strlen(text));
}

static void command(monitor_t *m, client_t *c, char *line) {
  char out[320];
  shim_error_t err;
  if (strcmp(line, "start") == 0) {
    monitor_start(m, out, sizeof out);
    reply(c, out);
  } else if (strncmp(line, "kill ", 5) == 0) {
    long long sig;
    if (parse_long(line + 5, &sig) < 0 || sig <= 0 || sig > 64) {
      reply(c, "error 22 kill: bad signal number\n");
    } else if (!m->exited && kill(m->pid, (int)sig) < 0 && errno != ESRCH) {
      snprintf(out, sizeof out, "error %d kill %d: %s\n", errno, m->pid, strerror(errno));
      reply(c, out);
    } else {
      reply(c, "ok\n");
    }
  } else if (strcmp(line, "reopen") == 0) {
    if (crilog_reopen(&m->log, &err) < 0) {
      char msg[300];
      shim_error_format(&err, msg, sizeof msg);
      snprintf(out, sizeof out, "error %d %s\n", err.err, msg);
      reply(c, out);
    } else {
      reply(c, "ok\n");
    }
  } else if (strcmp(line, "state") == 0) {
    snprintf(out, sizeof out, "%s %d\n", m->status == ST_CREATED ? "created" : "running", m->pid);
    reply(c, out);
  } else if (strcmp(line, "wait") == 0) {
    c->mode = CLIENT_WAIT;
  } else if (strcmp(line, "attach") == 0) {
    reply(c, "ok\n");
    c->mode = CLIENT_ATTACH;
  } else {
    reply(c, "error 22 unknown request\n");
  }
}

/* Writes to the process's stdin without letting a process that never reads it stall the monitor
 * (its log, its other clients): waits up to a second for room, then drops input until the pipe
 * drains again. Returns -1 once the reader is gone. */
static int write_stdin(monitor_t *m, const char *data, size_t len) {
  size_t done = 0;
  int budget = m->stdin_stalled ? 0 : 1000;
  while (done < len) {
    ssize_t n = write(m->in_fd, data + done, len - done);
    if (n > 0) {
      done += (size_t)n;
      m->stdin_stalled = 0;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN && budget > 0) {
      struct pollfd p = {.fd = m->in_fd, .events = POLLOUT};
      poll(&p, 1, 100);
      budget -= 100;
    } else if (n < 0 && errno == EAGAIN) {
      m->stdin_stalled = 1;
      return 0;
    } else {
      return -1;
    }
  }
  return 0;
}

static void attach_frame(monitor_t *m, client_t *c, int type, const char *data, size_t len) {
  if (type == FRAME_STDIN && m->in_fd >= 0) {
    c->sent_stdin = 1;
    if (write_stdin(m, data, len) < 0 && !m->tty) {
      close(m->in_fd);
      m->in_fd = -1;
    }
  } else if (type == FRAME_CLOSE_STDIN && m->in_fd >= 0) {
    if (m->tty) {
      (void)write_all(m->in_fd, "\x04", 1); /* EOF for the terminal's reader */
    } else {
      close(m->in_fd);
      m->in_fd = -1;
    }
  } else if (type == FRAME_RESIZE && m->tty && len == 4) {
    const unsigned char *p = (const unsigned char *)data;
    struct winsize ws = {.ws_col = (unsigned short)(p[0] << 8 | p[1]), .ws_row = (unsigned short)(p[2] << 8 | p[3])};
    ioctl(m->out_fd, TIOCSWINSZ, &ws);
  }
}

/* Consumes what is buffered: command lines until attach, then whole frames. */
static void consume(monitor_t *m, client_t *c) {
  size_t off = 0;
  while (c->mode == CLIENT_COMMAND || c->mode == CLIENT_WAIT) {
    char *nl = memchr(c->buf + off, '\n', c->len - off);
    if (nl == NULL || c->mode == CLIENT_WAIT) {
      break;
    }
    *nl = '\0';
    command(m, c, c->buf + off);
    off = (size_t)(nl - c->buf) + 1;
  }
  while (c->mode == CLIENT_ATTACH && c->len - off >= FRAME_HEADER) {
    const unsigned char *h = (const unsigned char *)c->buf + off;
    size_t len = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
    if (len > FRAME_MAX) {
      client_drop(m, c);
      return;
    }
    if (c->len - off < FRAME_HEADER + len) {
      break;
    }
    attach_frame(m, c, h[0], c->buf + off + FRAME_HEADER, len);
    off += FRAME_HEADER + len;
  }
  memmove(c->buf, c->buf + off, c->len - off);
  c->len -= off;
  if (c->mode == CLIENT_COMMAND && c->len == CLIENT_BUF) {
    client_drop(m, c); /* a line longer than any request */
  }
}

void control_readable(monitor_t *m, client_t *c) {
  ssize_t n = read_retry(c->fd, c->buf + c->len, CLIENT_BUF - c->len);
  if (n <= 0) {
    client_drop(m, c);
    return;
  }
  c->len += (size_t)n;
  consume(m, c);
}

void control_finish(monitor_t *m) {
  char line[96];
  int n = snprintf(line, sizeof line, "exited %d %d %d\n", m->exit_code, m->exit_signal, m->oom);
  for (int i = 0; i < MAX_CLIENTS; i++) {
    client_t *c = &m->clients[i];
    if (c->mode == CLIENT_WAIT) {
      (void)write_all(c->fd, line, (size_t)n);
    } else if (c->mode == CLIENT_ATTACH) {
      (void)send_frame(c, FRAME_EXIT, line + 7, (size_t)n - 8);
    }
    if (c->mode != CLIENT_FREE) {
      close(c->fd);
      c->mode = CLIENT_FREE;
    }
  }
}
