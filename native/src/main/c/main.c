/* kona-shim: the part of Kona that must run between fork and exec, and the per-container monitor.
 *   kona-shim create <state-dir>   reads <state-dir>/plan, starts the monitor, prints the result
 *   kona-shim hold                 waits until its stdin closes: a placeholder process for a systemd
 *                                  scope, which needs a pid at creation, until the container joins it
 *   kona-shim unshare <flags>      unshare(2)s the clone flags (decimal), prints "ready", then waits
 *                                  until its stdin closes: the daemon pins the namespaces it made (a
 *                                  pod's user namespace and those owned by it) through /proc/<pid>/ns
 *   kona-shim reap <pid-file> <command...>
 *                                  runs the command (a runtime's detached exec) as a subreaper, waits
 *                                  for the process named in <pid-file> and exits with its status
 *   kona-shim version */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "monitor.h"
#include "reap.h"

#define KONA_SHIM_VERSION "1"

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "create") == 0) {
    return monitor_create(argv[2]);
  }
  if (argc == 3 && strcmp(argv[1], "unshare") == 0) {
    char *end;
    long flags = strtol(argv[2], &end, 10);
    if (*end != '\0' || unshare((int)flags) < 0) {
      fprintf(stderr, "unshare %s: %s\n", argv[2], strerror(*end != '\0' ? EINVAL : errno));
      return 1;
    }
    printf("ready\n");
    fflush(stdout);
  }
  if ((argc == 3 && strcmp(argv[1], "unshare") == 0) || (argc == 2 && strcmp(argv[1], "hold") == 0)) {
    char buf[64];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    }
    return 0;
  }
  if (argc >= 4 && strcmp(argv[1], "reap") == 0) {
    return reap_main(argv[2], argv + 3);
  }
  if (argc == 2 && strcmp(argv[1], "version") == 0) {
    printf("kona-shim %s\n", KONA_SHIM_VERSION);
    return 0;
  }
  fprintf(stderr, "usage: kona-shim create <state-dir> | hold | unshare <flags> | reap <pid-file> <command...> | version\n");
  return 2;
}
