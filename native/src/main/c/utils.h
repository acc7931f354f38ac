/* Small helpers every concern uses: cleanup attributes, EINTR-safe I/O, files, paths. */
#ifndef KONA_UTILS_H
#define KONA_UTILS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

void cleanup_closep(int *fd);
void cleanup_freep(void *p);
#define cleanup_close __attribute__((cleanup(cleanup_closep)))
#define cleanup_free __attribute__((cleanup(cleanup_freep)))

/* Retry on EINTR; full-length writes. Return bytes or -1 with errno. */
ssize_t read_retry(int fd, void *buf, size_t len);
ssize_t write_all(int fd, const void *buf, size_t len);
/* Reads until EOF or len bytes, retrying short reads. */
ssize_t read_full(int fd, void *buf, size_t len);

/* Writes `data` to an existing file (cgroup.procs, /proc/sys/..., oom_score_adj). */
int write_file(const char *path, const char *data, size_t len, shim_error_t *e, const char *step);
/* Writes `data` to dir/name.tmp, fsyncs nothing (state, not content), renames onto dir/name. */
int write_file_atomic(const char *dir, const char *name, const char *data, size_t len, shim_error_t *e);
/* Reads a whole small file into a malloc'd, NUL-terminated buffer. */
int read_file(const char *path, char **out, size_t *len, shim_error_t *e);

int64_t now_unix_nanos(void);
/* Parses a decimal integer field; -1 with EINVAL on junk. */
int parse_long(const char *s, long long *out);
/* The process's start time in clock ticks (field 22 of /proc/<pid>/stat), 0 if unknown. */
unsigned long long process_start_ticks(pid_t pid);
/* Closes every fd >= `from` except `keep1` and `keep2` (either may be -1). */
void close_fds_from(int from, int keep1, int keep2);

#endif
