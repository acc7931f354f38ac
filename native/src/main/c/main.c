/* kona-shim: the part of Kona that must run between fork and exec, and the per-container monitor.
 *   kona-shim create <state-dir>   reads <state-dir>/plan, starts the monitor, prints the result
 *   kona-shim version */
#include <stdio.h>
#include <string.h>

#include "monitor.h"

#define KONA_SHIM_VERSION "1"

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "create") == 0) {
    return monitor_create(argv[2]);
  }
  if (argc == 2 && strcmp(argv[1], "version") == 0) {
    printf("kona-shim %s\n", KONA_SHIM_VERSION);
    return 0;
  }
  fprintf(stderr, "usage: kona-shim create <state-dir> | version\n");
  return 2;
}
