/* The process's own settings: hostname, sysctls, rlimits, oom_score_adj, umask, working directory,
 * and finding the program on the container's PATH. */
#ifndef KONA_PROCESS_H
#define KONA_PROCESS_H

#include <limits.h>

#include "error.h"
#include "plan.h"

/* Before the pivot: rlimits. */
int process_limits(const plan_t *plan, shim_error_t *e);
/* oom_score_adj, before a user namespace is joined: lowering it needs CAP_SYS_RESOURCE in the
 * host's user namespace, which the pod's root lacks (EPERM tolerated: the host may lack it too). */
int process_oom_score(const plan_t *plan, shim_error_t *e);
/* After the pivot, in the container's /proc: hostname and sysctls. */
int process_kernel_settings(const plan_t *plan, int own_uts, shim_error_t *e);
/* As the final user: umask and cwd. */
int process_cwd(const plan_t *plan, shim_error_t *e);
/* Resolves argv[0] against PATH from envp into `out`; ENOENT/EACCES as a clear error. */
int process_resolve(char *const argv[], char *const envp[], char out[PATH_MAX], shim_error_t *e);

#endif
