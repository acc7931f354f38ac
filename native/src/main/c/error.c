#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int shim_fail(shim_error_t *e, int err, const char *step, const char *fmt, ...) {
  va_list ap;
  e->err = err;
  snprintf(e->step, sizeof e->step, "%s", step);
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  return -1;
}

void shim_error_format(const shim_error_t *e, char *buf, size_t len) {
  if (e->err != 0) {
    snprintf(buf, len, "%s: %s: %s", e->step, e->msg, strerror(e->err));
  } else {
    snprintf(buf, len, "%s: %s", e->step, e->msg);
  }
}
