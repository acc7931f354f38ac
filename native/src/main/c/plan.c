#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utils.h"

int plan_load(const char *path, plan_t *plan, shim_error_t *e) {
  char *buf;
  size_t len;
  if (read_file(path, &buf, &len, e) < 0) {
    return -1;
  }
  return plan_parse(buf, len, plan, e);
}

static int parse_record(char **cursor, char *end, plan_record_t *r, size_t line, shim_error_t *e) {
  char *p = *cursor;
  r->tag = p;
  while (p < end && *p != ' ' && *p != '\n') {
    p++;
  }
  if (p >= end) {
    return shim_fail(e, EINVAL, "plan", "record %zu: no end of line", line);
  }
  r->nfields = 0;
  while (*p == ' ') {
    *p++ = '\0';
    if (r->nfields == PLAN_MAX_FIELDS) {
      return shim_fail(e, EINVAL, "plan", "record %zu (%s): more than %d fields", line, r->tag, PLAN_MAX_FIELDS);
    }
    size_t n = 0;
    while (p < end && *p >= '0' && *p <= '9') {
      n = n * 10 + (size_t)(*p++ - '0');
      if (n > (size_t)(end - p)) {
        /* longer than what is left: checked per digit, before n can wrap around */
        return shim_fail(e, EINVAL, "plan", "record %zu (%s): bad field length", line, r->tag);
      }
    }
    if (p >= end || *p != ':' || (size_t)(end - p - 1) < n + 1) {
      return shim_fail(e, EINVAL, "plan", "record %zu (%s): bad field length", line, r->tag);
    }
    p++;
    r->f[r->nfields].data = p;
    r->f[r->nfields].len = n;
    r->nfields++;
    p += n;
    if (*p != ' ' && *p != '\n') {
      return shim_fail(e, EINVAL, "plan", "record %zu (%s): field not followed by space or newline", line, r->tag);
    }
  }
  if (*p != '\n') {
    return shim_fail(e, EINVAL, "plan", "record %zu: expected newline", line);
  }
  *p++ = '\0';
  *cursor = p;
  return 0;
}

int plan_parse(char *buf, size_t len, plan_t *plan, shim_error_t *e) {
  size_t lines = 0;
  for (size_t i = 0; i < len; i++) {
    lines += buf[i] == '\n';
  }
  plan->buf = buf;
  plan->nrecs = 0;
  plan->recs = calloc(lines + 1, sizeof(plan_record_t));
  if (plan->recs == NULL) {
    return shim_fail(e, ENOMEM, "plan", "allocate %zu records", lines);
  }
  char *p = buf, *end = buf + len;
  while (p < end) {
    if (plan->nrecs >= lines) {
      return shim_fail(e, EINVAL, "plan", "trailing bytes after record %zu", plan->nrecs);
    }
    if (parse_record(&p, end, &plan->recs[plan->nrecs], plan->nrecs + 1, e) < 0) {
      return -1;
    }
    plan->nrecs++;
  }
  return 0;
}

const plan_record_t *plan_find(const plan_t *plan, const char *tag) {
  PLAN_FOREACH(plan, tag, r) {
    return r;
  }
  return NULL;
}

const char *plan_str(const plan_t *plan, const char *tag, const char *fallback) {
  const plan_record_t *r = plan_find(plan, tag);
  return r != NULL && r->nfields > 0 ? r->f[0].data : fallback;
}

long long plan_num(const plan_t *plan, const char *tag, long long fallback) {
  long long v;
  const char *s = plan_str(plan, tag, NULL);
  return s != NULL && parse_long(s, &v) == 0 ? v : fallback;
}

size_t plan_count(const plan_t *plan, const char *tag) {
  size_t n = 0;
  PLAN_FOREACH(plan, tag, r) {
    n++;
  }
  return n;
}

int plan_strv(const plan_t *plan, const char *tag, char ***out, shim_error_t *e) {
  char **v = calloc(plan_count(plan, tag) + 1, sizeof(char *));
  if (v == NULL) {
    return shim_fail(e, ENOMEM, "plan", "allocate %s list", tag);
  }
  size_t i = 0;
  PLAN_FOREACH(plan, tag, r) {
    v[i++] = r->nfields > 0 ? r->f[0].data : "";
  }
  *out = v;
  return 0;
}
