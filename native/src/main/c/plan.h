/* The launch plan the daemon writes: one record per line, `tag` then fields `<len>:<bytes>`
 * separated by single spaces. Fields may hold any bytes (seccomp programs, env with newlines);
 * parsing NUL-terminates them in place, so string fields read as C strings. */
#ifndef KONA_PLAN_H
#define KONA_PLAN_H

#include <stddef.h>

#include "error.h"

#define PLAN_MAX_FIELDS 8

typedef struct plan_field {
  char *data;
  size_t len;
} plan_field_t;

typedef struct plan_record {
  const char *tag;
  int nfields;
  plan_field_t f[PLAN_MAX_FIELDS];
} plan_record_t;

typedef struct plan {
  char *buf;
  plan_record_t *recs;
  size_t nrecs;
} plan_t;

int plan_load(const char *path, plan_t *plan, shim_error_t *e);
int plan_parse(char *buf, size_t len, plan_t *plan, shim_error_t *e);

/* The first record with `tag`, or NULL. */
const plan_record_t *plan_find(const plan_t *plan, const char *tag);
/* Field 0 of the first record with `tag`, or `fallback`. */
const char *plan_str(const plan_t *plan, const char *tag, const char *fallback);
long long plan_num(const plan_t *plan, const char *tag, long long fallback);
/* Counts records with `tag`. */
size_t plan_count(const plan_t *plan, const char *tag);
/* Fills `out` (NULL-terminated, malloc'd) with field 0 of every record with `tag`. */
int plan_strv(const plan_t *plan, const char *tag, char ***out, shim_error_t *e);

#define PLAN_FOREACH(plan, tagname, r)                                 \
  for (const plan_record_t *r = (plan)->recs; r < (plan)->recs + (plan)->nrecs; r++) \
    if (strcmp(r->tag, (tagname)) == 0)

#endif
