/* kona-shim reap <pid-file> <command...>: runc hands over a terminal's master (--console-socket)
 * only when it detaches, and the detached process is then nobody's child. As a subreaper we get
 * it (and every orphan below us), reap all of them, and exit with its status, which is how the
 * daemon, our parent, learns the exec's exit code. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reap.h"
#include "utils.h"

static int shell_status(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

static pid_t wait_any(int *status) {
  pid_t pid;
  do {
    pid = waitpid(-1, status, 0);
  } while (pid < 0 && errno == EINTR);
  return pid;
}

/* The pid the runtime wrote (no newline with runc; tolerate one); 0 when unreadable. */
static pid_t read_pid(const char *pid_file) {
  cleanup_free char *text = NULL;
  size_t len = 0;
  shim_error_t e = {0};
  long long value;
  if (read_file(pid_file, &text, &len, &e) < 0) {
    return 0;
  }
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ')) {
    text[--len] = '\0';
  }
  return parse_long(text, &value) < 0 || value <= 0 ? 0 : (pid_t)value;
}

#define EARLY_MAX 64

int reap_main(const char *pid_file, char **argv) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
    fprintf(stderr, "kona-shim reap: prctl(PR_SET_CHILD_SUBREAPER): %s\n", strerror(errno));
    return 255;
  }
  pid_t runtime = fork();
  if (runtime < 0) {
    fprintf(stderr, "kona-shim reap: fork: %s\n", strerror(errno));
    return 255;
  }
  if (runtime == 0) {
    execvp(argv[0], argv);
    fprintf(stderr, "kona-shim reap: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  /* Orphans may come to us before the runtime exits: keep their statuses, the target may be one. */
  struct {
    pid_t pid;
    int status;
  } early[EARLY_MAX];
  int n_early = 0;
  pid_t target = 0;
  int status;
  for (;;) {
    pid_t pid = wait_any(&status);
    if (pid < 0) {
      break; /* ECHILD */
    }
    if (pid == runtime) {
      if (shell_status(status) != 0) {
        return shell_status(status);
      }
      target = read_pid(pid_file);
      if (target == 0) {
        fprintf(stderr, "kona-shim reap: no pid in %s after the runtime exited\n", pid_file);
        return 255;
      }
      for (int i = 0; i < n_early; i++) {
        if (early[i].pid == target) {
          return shell_status(early[i].status);
        }
      }
    } else if (target == 0) {
      if (n_early < EARLY_MAX) {
        early[n_early].pid = pid;
        early[n_early].status = status;
        n_early++;
      }
    } else if (pid == target) {
      return shell_status(status);
    }
  }
  fprintf(stderr, "kona-shim reap: process %d was not reaped here\n", (int)target);
  return 255;
}
