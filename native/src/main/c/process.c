#define _GNU_SOURCE
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utils.h"

int process_limits(const plan_t *plan, shim_error_t *e) {
  PLAN_FOREACH(plan, "rlimit", r) {
    long long res, soft, hard;
    if (r->nfields != 3 || parse_long(r->f[0].data, &res) < 0 || parse_long(r->f[1].data, &soft) < 0 ||
        parse_long(r->f[2].data, &hard) < 0) {
      return shim_fail(e, EINVAL, "rlimits", "bad rlimit record");
    }
    struct rlimit rl = {.rlim_cur = (rlim_t)soft, .rlim_max = (rlim_t)hard};
    if (setrlimit((int)res, &rl) < 0) {
      return shim_fail(e, errno, "rlimits", "setrlimit %lld to %lld/%lld", res, soft, hard);
    }
  }
  return 0;
}

int process_oom_score(const plan_t *plan, shim_error_t *e) {
  const char *oom = plan_str(plan, "oom-score-adj", NULL);
  if (oom != NULL) {
    cleanup_close int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      return shim_fail(e, errno, "oom_score_adj", "open /proc/self/oom_score_adj");
    }
    if (write_all(fd, oom, strlen(oom)) < 0 && errno != EPERM && errno != EACCES) {
      return shim_fail(e, errno, "oom_score_adj", "write %s", oom);
    }
  }
  return 0;
}

int process_kernel_settings(const plan_t *plan, int own_uts, shim_error_t *e) {
  const char *hostname = plan_str(plan, "hostname", NULL);
  if (hostname != NULL && own_uts && sethostname(hostname, strlen(hostname)) < 0) {
    return shim_fail(e, errno, "hostname", "sethostname %s", hostname);
  }
  PLAN_FOREACH(plan, "sysctl", r) {
    char path[PATH_MAX];
    if (r->nfields != 2 || strstr(r->f[0].data, "..") != NULL) {
      return shim_fail(e, EINVAL, "sysctl", "bad sysctl record");
    }
    int n = snprintf(path, sizeof path, "/proc/sys/%s", r->f[0].data);
    for (char *p = path + 10; p < path + n; p++) {
      if (*p == '.') {
        *p = '/';
      }
    }
    if (write_file(path, r->f[1].data, r->f[1].len, e, "sysctl") < 0) {
      return -1;
    }
  }
  return 0;
}

int process_cwd(const plan_t *plan, shim_error_t *e) {
  long long mask = plan_num(plan, "umask", -1);
  if (mask >= 0) {
    umask((mode_t)mask);
  }
  const char *cwd = plan_str(plan, "cwd", "/");
  if (chdir(cwd) < 0) {
    return shim_fail(e, errno, "cwd", "chdir %s", cwd);
  }
  return 0;
}

static int runnable(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    return -errno;
  }
  if (S_ISDIR(st.st_mode)) {
    return -EACCES;
  }
  return access(path, X_OK) < 0 ? -errno : 0;
}

int process_resolve(char *const argv[], char *const envp[], char out[PATH_MAX], shim_error_t *e) {
  const char *name = argv[0];
  if (name == NULL || *name == '\0') {
    return shim_fail(e, EINVAL, "exec", "no program given");
  }
  if (strchr(name, '/') != NULL) {
    int rc = runnable(name);
    if (rc < 0) {
      return shim_fail(e, -rc, "exec", "%s", name);
    }
    snprintf(out, PATH_MAX, "%s", name);
    return 0;
  }
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (char *const *env = envp; *env != NULL; env++) {
    if (strncmp(*env, "PATH=", 5) == 0) {
      path = *env + 5;
    }
  }
  int first_err = ENOENT;
  for (const char *p = path;; p++) {
    const char *end = strchrnul(p, ':');
    int n = (int)(end - p);
    snprintf(out, PATH_MAX, "%.*s%s%s", n, p, n ? "/" : "", name);
    int rc = runnable(out);
    if (rc == 0) {
      return 0;
    }
    if (rc != -ENOENT && rc != -ENOTDIR && first_err == ENOENT) {
      first_err = -rc;
    }
    if (*end == '\0') {
      break;
    }
    p = end;
  }
  return shim_fail(e, first_err, "exec", "%s not found in PATH %s", name, path);
}
