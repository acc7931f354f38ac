/* libFuzzer target: the monitor's control-socket decoder (control.c): request lines, then attach
 * frames, arriving in reads of any size. The input's first byte picks the read size; the rest is
 * what the client sends. Requests that act on the container (start, kill, reopen) reach stubs. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../main/c/control.c"

void monitor_start(monitor_t *m, char *reply, size_t len) {
  (void)m;
  snprintf(reply, len, "ok\n");
}

int crilog_reopen(crilog_t *log, shim_error_t *e) {
  (void)log;
  return shim_fail(e, ENOENT, "log", "reopen");
}

static int devnull = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  if (devnull < 0) {
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  }
  size_t step = (size_t)data[0] * 67 % CLIENT_BUF + 1;
  data++;
  size--;
  static monitor_t m;
  memset(&m, 0, sizeof m);
  m.exited = 1; /* kill must not signal anything */
  m.pid = -1;
  m.out_fd = -1;
  m.tty = step % 2;
  m.in_fd = dup(devnull);
  client_t *c = &m.clients[0];
  static char buffer[CLIENT_BUF];
  c->buf = buffer;
  c->fd = dup(devnull);
  c->mode = CLIENT_COMMAND;
  c->len = 0;
  for (size_t off = 0; off < size && c->mode != CLIENT_FREE;) {
    size_t n = size - off < step ? size - off : step;
    if (n > CLIENT_BUF - c->len) {
      n = CLIENT_BUF - c->len;
    }
    if (n == 0) {
      client_drop(&m, c); /* as control_readable: a read into a full buffer returns 0 */
      break;
    }
    memcpy(c->buf + c->len, data + off, n);
    c->len += n;
    off += n;
    consume(&m, c);
    if (c->mode != CLIENT_FREE && c->len > CLIENT_BUF) {
      abort();
    }
  }
  if (c->mode != CLIENT_FREE) {
    close(c->fd);
  }
  if (m.in_fd >= 0) {
    close(m.in_fd);
  }
  return 0;
}
