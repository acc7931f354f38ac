/* kona-shim reap: a subreaper for an OCI runtime's detached exec. */
#ifndef KONA_REAP_H
#define KONA_REAP_H

/* Becomes a child subreaper, runs argv (a runtime's `exec --detach --pid-file <pid_file> ...`),
 * and, once it succeeded, waits for the process the pid file names, which the runtime leaves
 * behind and the kernel re-parents to us. Returns what a shell would exit with: the process's
 * code, or 128+n for signal n; the runtime's own status when it failed. */
int reap_main(const char *pid_file, char **argv);

#endif
