/* Errors the crun way: functions return 0 or -1 and fill an out-parameter. The struct has a fixed
 * size so a child can send it to its monitor in one atomic pipe write. */
#ifndef KONA_ERROR_H
#define KONA_ERROR_H

#include <stddef.h>

typedef struct shim_error {
  int err;         /* errno of the failed call, 0 if none */
  char step[32];   /* which setup step failed: "mount", "exec", ... */
  char msg[220];   /* what, on what: "mount proc on /proc" */
} shim_error_t;

/* Records a failure and returns -1, so callers can write `return shim_fail(...)`. */
int shim_fail(shim_error_t *e, int err, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "step: msg: strerror" into buf; for reporting to the daemon. */
void shim_error_format(const shim_error_t *e, char *buf, size_t len);

#endif
