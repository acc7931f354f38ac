#define _GNU_SOURCE
#include "crilog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static const char *const STREAM_NAMES[2] = {"stdout", "stderr"};

static int open_log(const crilog_t *log) {
  /* O_NOFOLLOW: a symlink planted where the log was must not redirect the write. */
  return openat(log->dirfd, log->name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
}

int crilog_open(crilog_t *log, const char *path, size_t max_line, shim_error_t *e) {
  log->path = path;
  log->max_line = max_line == 0 || max_line > CRILOG_MAX_LINE ? CRILOG_MAX_LINE : max_line;
  log->pending_len[0] = log->pending_len[1] = 0;
  log->fd = -1;
  log->dirfd = -1;
  if (path == NULL) {
    return 0;
  }
  const char *slash = strrchr(path, '/');
  if (path[0] != '/' || slash[1] == '\0') {
    return shim_fail(e, EINVAL, "log", "log path %s must be absolute and name a file", path);
  }
  char dir[4096];
  size_t dir_len = slash == path ? 1 : (size_t)(slash - path);
  if (dir_len >= sizeof dir) {
    return shim_fail(e, ENAMETOOLONG, "log", "open %s", path);
  }
  memcpy(dir, path, dir_len);
  dir[dir_len] = '\0';
  /* The runtime checked that no directory from the pod's log directory down is a symlink just
   * before; holding this one keeps every later reopen in it. */
  log->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (log->dirfd < 0) {
    return shim_fail(e, errno, "log", "open directory %s", dir);
  }
  log->name = slash + 1;
  log->fd = open_log(log);
  if (log->fd < 0) {
    return shim_fail(e, errno, "log", "open %s", path);
  }
  return 0;
}

int crilog_reopen(crilog_t *log, shim_error_t *e) {
  if (log->path == NULL) {
    return shim_fail(e, EINVAL, "log", "container has no log path");
  }
  int fd = open_log(log);
  if (fd < 0) {
    return shim_fail(e, errno, "log", "reopen %s", log->path);
  }
  if (log->fd >= 0) {
    close(log->fd);
  }
  log->fd = fd;
  return 0;
}

size_t crilog_timestamp(char *buf, size_t len) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  int n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
  return n < 0 ? 0 : (size_t)n;
}

/* One entry from up to two pieces (the pending prefix and the new bytes), in one writev. */
static void entry(crilog_t *log, int stream, char tag, const char *a, size_t alen, const char *b, size_t blen) {
  char head[64];
  size_t n = crilog_timestamp(head, sizeof head);
  n += (size_t)snprintf(head + n, sizeof head - n, " %s %c ", STREAM_NAMES[stream], tag);
  struct iovec iov[4] = {
      {head, n}, {(void *)a, alen}, {(void *)b, blen}, {"\n", 1},
  };
  ssize_t w;
  do {
    w = writev(log->fd, iov, 4);
  } while (w < 0 && errno == EINTR);
}

void crilog_write(crilog_t *log, int stream, const char *data, size_t len) {
  if (log->fd < 0) {
    return;
  }
  char *pending = log->pending[stream];
  size_t *plen = &log->pending_len[stream];
  while (len > 0) {
    const char *nl = memchr(data, '\n', len);
    size_t room = log->max_line - *plen;
    size_t seg = nl != NULL ? (size_t)(nl - data) : len;
    if (seg >= room && !(nl != NULL && seg == room)) {
      /* The line reaches the maximum before its end: emit a partial entry of exactly max_line. */
      entry(log, stream, 'P', pending, *plen, data, room);
      *plen = 0;
      data += room;
      len -= room;
      continue;
    }
    if (nl == NULL) {
      memcpy(pending + *plen, data, len);
      *plen += len;
      return;
    }
    entry(log, stream, 'F', pending, *plen, data, seg);
    *plen = 0;
    data += seg + 1;
    len -= seg + 1;
  }
}

void crilog_flush(crilog_t *log, int stream) {
  if (log->fd >= 0 && log->pending_len[stream] > 0) {
    entry(log, stream, 'F', log->pending[stream], log->pending_len[stream], "", 0);
  }
  log->pending_len[stream] = 0;
}

void crilog_close(crilog_t *log) {
  crilog_flush(log, STREAM_STDOUT);
  crilog_flush(log, STREAM_STDERR);
  if (log->fd >= 0) {
    close(log->fd);
    log->fd = -1;
  }
  if (log->dirfd >= 0) {
    close(log->dirfd);
    log->dirfd = -1;
  }
}
