/* The container's filesystem: every mount, device and symlink lands inside the rootfs through
 * openat2(RESOLVE_IN_ROOT), so a symlink in the image cannot point a mount at the host. */
#ifndef KONA_MOUNTS_H
#define KONA_MOUNTS_H

#include "error.h"
#include "plan.h"

/* Makes the mount tree private/slave as asked and the rootfs a mount point; returns an O_PATH fd. */
int rootfs_prepare(const plan_t *plan, int *rootfd, shim_error_t *e);
/* Before a user namespace is joined (`userns_fd` >= 0; -1: none): a detached clone (open_tree) of
 * the source of every bind, idmapped with that namespace (MOUNT_ATTR_IDMAP) when its record asks,
 * and the rootfs made the working directory. Inside the namespace the container side can no longer
 * walk host paths that only the host's root may search, nor idmap; mounts_apply moves the clones
 * into place. */
int mounts_prepare(const plan_t *plan, int userns_fd, shim_error_t *e);
/* The plan's mount records, in order. */
int mounts_apply(const plan_t *plan, int rootfd, shim_error_t *e);
/* Device nodes and symlinks (after /dev is mounted). */
int devices_create(const plan_t *plan, int rootfd, shim_error_t *e);
/* pivot_root into the rootfs and drop the old root. */
int rootfs_pivot(const char *rootfs, shim_error_t *e);
/* After the pivot: masked and read-only paths, then a read-only root if asked. */
int paths_protect(const plan_t *plan, shim_error_t *e);

#endif
