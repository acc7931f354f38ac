/* The CRI container log format: "<RFC3339Nano UTC> <stream> <P|F> <line>\n". A line longer than
 * the maximum is cut into P(artial) entries; the entry that ends it is F(ull). */
#ifndef KONA_CRILOG_H
#define KONA_CRILOG_H

#include <stddef.h>

#include "error.h"

enum { STREAM_STDOUT = 0, STREAM_STDERR = 1 };

#define CRILOG_MAX_LINE 16384

typedef struct crilog {
  int fd;             /* -1: no log file */
  int dirfd;          /* the log's directory, held from the first open (O_PATH) */
  const char *path;
  const char *name;   /* the file's name in dirfd: the last component of path */
  size_t max_line;
  size_t pending_len[2];
  char pending[2][CRILOG_MAX_LINE];
} crilog_t;

int crilog_open(crilog_t *log, const char *path, size_t max_line, shim_error_t *e);
/* Reopens the file by its name in the directory held since crilog_open (after the kubelet renamed
 * it away): a directory on the path swapped for a symlink since then cannot redirect the log. */
int crilog_reopen(crilog_t *log, shim_error_t *e);
void crilog_write(crilog_t *log, int stream, const char *data, size_t len);
/* At EOF of a stream: the unterminated rest becomes an F entry. */
void crilog_flush(crilog_t *log, int stream);
void crilog_close(crilog_t *log);

/* Formats now as 2006-01-02T15:04:05.000000000Z into buf (at least 31 bytes); returns length. */
size_t crilog_timestamp(char *buf, size_t len);

#endif
