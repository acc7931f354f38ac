#define _GNU_SOURCE
#include "security.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utils.h"

#define MAX_GROUPS 256

typedef struct caps {
  uint64_t bounding, effective, permitted, inheritable, ambient;
} caps_t;

static int last_cap(void) {
  char buf[16] = {0};
  cleanup_close int fd = open("/proc/sys/kernel/cap_last_cap", 0);
  long long v;
  if (fd >= 0 && read_retry(fd, buf, sizeof buf - 1) > 0) {
    buf[strcspn(buf, "\n")] = '\0';
    if (parse_long(buf, &v) == 0) {
      return (int)v;
    }
  }
  return CAP_LAST_CAP;
}

static int parse_caps(const plan_record_t *r, caps_t *c, shim_error_t *e) {
  uint64_t *sets[] = {&c->bounding, &c->effective, &c->permitted, &c->inheritable, &c->ambient};
  if (r->nfields != 5) {
    return shim_fail(e, EINVAL, "capabilities", "caps record needs 5 sets");
  }
  for (int i = 0; i < 5; i++) {
    char *end;
    errno = 0;
    *sets[i] = strtoull(r->f[i].data, &end, 10);
    if (errno != 0 || *end != '\0') {
      return shim_fail(e, EINVAL, "capabilities", "set %d is not a number", i);
    }
  }
  return 0;
}

static int drop_bounding(const caps_t *c, shim_error_t *e) {
  int last = last_cap();
  for (int cap = 0; cap <= last; cap++) {
    if (!(c->bounding & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
      return shim_fail(e, errno, "capabilities", "drop %d from the bounding set", cap);
    }
  }
  return 0;
}

static int set_caps(const caps_t *c, shim_error_t *e) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  for (int i = 0; i < 2; i++) {
    data[i].effective = (uint32_t)(c->effective >> (32 * i));
    data[i].permitted = (uint32_t)(c->permitted >> (32 * i));
    data[i].inheritable = (uint32_t)(c->inheritable >> (32 * i));
  }
  if (syscall(SYS_capset, &hdr, data) < 0) {
    return shim_fail(e, errno, "capabilities", "capset");
  }
  int last = last_cap();
  for (int cap = 0; cap <= last; cap++) {
    if ((c->ambient & (1ULL << cap)) &&
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
      return shim_fail(e, errno, "capabilities", "raise ambient capability %d", cap);
    }
  }
  return 0;
}

static int apply_seccomp(const plan_record_t *r, long long flags, shim_error_t *e) {
  if (r->f[0].len == 0 || r->f[0].len % sizeof(struct sock_filter) != 0) {
    return shim_fail(e, EINVAL, "seccomp", "program of %zu bytes is not whole instructions", r->f[0].len);
  }
  /* The field sits unaligned in the plan buffer; the kernel copies it, but copy to be safe. */
  struct sock_filter *prog = malloc(r->f[0].len);
  if (prog == NULL) {
    return shim_fail(e, ENOMEM, "seccomp", "copy program");
  }
  memcpy(prog, r->f[0].data, r->f[0].len);
  struct sock_fprog fprog = {.len = (unsigned short)(r->f[0].len / sizeof(struct sock_filter)), .filter = prog};
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned int)flags, &fprog);
  int err = errno;
  free(prog);
  if (rc < 0) {
    return shim_fail(e, err, "seccomp", "load filter of %u instructions", fprog.len);
  }
  return 0;
}

static int set_ids(const plan_t *plan, shim_error_t *e) {
  const plan_record_t *user = plan_find(plan, "user");
  long long uid = 0, gid = 0;
  if (user != NULL && (user->nfields != 2 || parse_long(user->f[0].data, &uid) < 0 ||
                       parse_long(user->f[1].data, &gid) < 0)) {
    return shim_fail(e, EINVAL, "user", "bad user record");
  }
  gid_t groups[MAX_GROUPS];
  size_t n = 0;
  PLAN_FOREACH(plan, "group", r) {
    long long g;
    if (n == MAX_GROUPS || parse_long(r->f[0].data, &g) < 0) {
      return shim_fail(e, EINVAL, "user", "bad or too many supplementary groups");
    }
    groups[n++] = (gid_t)g;
  }
  if (setgroups(n, groups) < 0) {
    return shim_fail(e, errno, "user", "setgroups (%zu groups)", n);
  }
  if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0) {
    return shim_fail(e, errno, "user", "setgid %lld", gid);
  }
  if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) {
    return shim_fail(e, errno, "user", "setuid %lld", uid);
  }
  return 0;
}

int security_apply(const plan_t *plan, shim_error_t *e) {
  const plan_record_t *caps_rec = plan_find(plan, "caps");
  const plan_record_t *seccomp = plan_find(plan, "seccomp");
  long long seccomp_flags = plan_num(plan, "seccomp-flags", 0);
  int nnp = plan_num(plan, "no-new-privs", 0) != 0;
  caps_t caps;
  if (caps_rec != NULL && (parse_caps(caps_rec, &caps, e) < 0 || drop_bounding(&caps, e) < 0)) {
    return -1;
  }
  /* Without no_new_privs the filter needs CAP_SYS_ADMIN, which is gone after setuid. */
  if (seccomp != NULL && !nnp && apply_seccomp(seccomp, seccomp_flags, e) < 0) {
    return -1;
  }
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
    return shim_fail(e, errno, "capabilities", "set keepcaps");
  }
  if (set_ids(plan, e) < 0) {
    return -1;
  }
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
    return shim_fail(e, errno, "capabilities", "clear keepcaps");
  }
  if (caps_rec != NULL && set_caps(&caps, e) < 0) {
    return -1;
  }
  if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    return shim_fail(e, errno, "no_new_privs", "prctl");
  }
  if (seccomp != NULL && nnp && apply_seccomp(seccomp, seccomp_flags, e) < 0) {
    return -1;
  }
  return 0;
}
