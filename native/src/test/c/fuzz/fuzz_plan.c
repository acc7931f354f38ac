/* libFuzzer target: the launch plan decoder (plan.c) and its accessors, on any bytes. The plan is
 * the daemon's, so a bad one must fail with an error, never read or write outside the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../main/c/plan.h"

static const char *const TAGS[] = {"rootfs", "user", "mount", "ns", "env", "arg", "cgroup", "rlimit", "no-console",
                                   ""};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* plan_load reads a file into a NUL-terminated buffer of exactly its length. */
  char *buf = malloc(size + 1);
  if (buf == NULL) {
    return 0;
  }
  memcpy(buf, data, size);
  buf[size] = '\0';
  plan_t plan = {0};
  shim_error_t e;
  if (plan_parse(buf, size, &plan, &e) == 0) {
    for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++) {
      (void)plan_num(&plan, TAGS[i], -1);
      (void)plan_count(&plan, TAGS[i]);
      char **v = NULL;
      if (plan_strv(&plan, TAGS[i], &v, &e) == 0) {
        for (char **s = v; *s != NULL; s++) {
          (void)strlen(*s);
        }
        free(v);
      }
    }
    for (size_t r = 0; r < plan.nrecs; r++) {
      for (int f = 0; f < plan.recs[r].nfields; f++) {
        /* Every field lies inside the buffer and is NUL-terminated there. */
        const plan_field_t *field = &plan.recs[r].f[f];
        if (field->data < buf || field->data + field->len >= buf + size + 1 || field->data[field->len] != '\0') {
          abort();
        }
      }
    }
  }
  free(plan.recs);
  free(buf);
  return 0;
}
