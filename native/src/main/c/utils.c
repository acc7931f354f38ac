#include "utils.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

void cleanup_closep(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

void cleanup_freep(void *p) {
  void **pp = p;
  free(*pp);
  *pp = NULL;
}

ssize_t read_retry(int fd, void *buf, size_t len) {
  ssize_t n;
  do {
    n = read(fd, buf, len);
  } while (n < 0 && errno == EINTR);
  return n;
}

ssize_t write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, p + done, len - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return -1;
    }
    done += (size_t)n;
  }
  return (ssize_t)done;
}

ssize_t read_full(int fd, void *buf, size_t len) {
  char *p = buf;
  size_t done = 0;
  while (done < len) {
    ssize_t n = read_retry(fd, p + done, len - done);
    if (n < 0) {
      return -1;
    }
    if (n == 0) {
      break;
    }
    done += (size_t)n;
  }
  return (ssize_t)done;
}

int write_file(const char *path, const char *data, size_t len, shim_error_t *e, const char *step) {
  cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return shim_fail(e, errno, step, "open %s", path);
  }
  if (write_all(fd, data, len) < 0) {
    return shim_fail(e, errno, step, "write %s", path);
  }
  return 0;
}

int write_file_atomic(const char *dir, const char *name, const char *data, size_t len, shim_error_t *e) {
  char tmp[4096], dst[4096];
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  cleanup_close int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return shim_fail(e, errno, "state", "open %s", tmp);
  }
  if (write_all(fd, data, len) < 0) {
    return shim_fail(e, errno, "state", "write %s", tmp);
  }
  if (rename(tmp, dst) < 0) {
    return shim_fail(e, errno, "state", "rename %s", dst);
  }
  return 0;
}

int read_file(const char *path, char **out, size_t *len, shim_error_t *e) {
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return shim_fail(e, errno, "read", "open %s", path);
  }
  size_t cap = 4096, used = 0;
  char *buf = malloc(cap);
  if (buf == NULL) {
    return shim_fail(e, ENOMEM, "read", "%s", path);
  }
  for (;;) {
    if (used + 1 >= cap) {
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) {
        free(buf);
        return shim_fail(e, ENOMEM, "read", "%s", path);
      }
      buf = bigger;
      cap *= 2;
    }
    ssize_t n = read_retry(fd, buf + used, cap - used - 1);
    if (n < 0) {
      int err = errno;
      free(buf);
      return shim_fail(e, err, "read", "%s", path);
    }
    if (n == 0) {
      break;
    }
    used += (size_t)n;
  }
  buf[used] = '\0';
  *out = buf;
  *len = used;
  return 0;
}

int64_t now_unix_nanos(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int parse_long(const char *s, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0') {
    errno = EINVAL;
    return -1;
  }
  *out = v;
  return 0;
}

unsigned long long process_start_ticks(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return 0;
  }
  ssize_t n = read_retry(fd, buf, sizeof buf - 1);
  if (n <= 0) {
    return 0;
  }
  buf[n] = '\0';
  /* The command name may hold spaces and parentheses: count fields after the last ')'. */
  char *p = strrchr(buf, ')');
  if (p == NULL) {
    return 0;
  }
  int field = 2;
  unsigned long long ticks = 0;
  for (char *tok = strtok(p + 1, " "); tok != NULL; tok = strtok(NULL, " ")) {
    if (++field == 22) {
      ticks = strtoull(tok, NULL, 10);
      break;
    }
  }
  return ticks;
}

void close_fds_from(int from, int keep1, int keep2) {
  DIR *d = opendir("/proc/self/fd");
  if (d == NULL) {
    for (int fd = from; fd < 1024; fd++) {
      if (fd != keep1 && fd != keep2) {
        close(fd);
      }
    }
    return;
  }
  int dfd = dirfd(d);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    int fd = atoi(de->d_name);
    if (de->d_name[0] >= '0' && de->d_name[0] <= '9' && fd >= from && fd != keep1 && fd != keep2 && fd != dfd) {
      close(fd);
    }
  }
  closedir(d);
}
