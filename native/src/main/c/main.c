/* kona-shim: the part of Kona that must run between fork and exec, and the per-container monitor.
 *   kona-shim create <state-dir>   reads <state-dir>/plan, starts the monitor, prints the result
 *   kona-shim hold                 waits until its stdin closes: a placeholder process for a systemd
 *                                  scope, which needs a pid at creation, until the container joins it
 *   kona-shim version */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "monitor.h"

#define KONA_SHIM_VERSION "1"

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "create") == 0) {
    return monitor_create(argv[2]);
  }
  if (argc == 2 && strcmp(argv[1], "hold") == 0) {
    char buf[64];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    }
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "version") == 0) {
    printf("kona-shim %s\n", KONA_SHIM_VERSION);
    return 0;
  }
  fprintf(stderr, "usage: kona-shim create <state-dir> | hold | version\n");
  return 2;
}
