/* Identity and privilege: capabilities (all five sets), no_new_privs, seccomp, groups, gid, uid.
 * The order matters and lives in security_apply. */
#ifndef KONA_SECURITY_H
#define KONA_SECURITY_H

#include "error.h"
#include "plan.h"

int security_apply(const plan_t *plan, shim_error_t *e);

#endif
