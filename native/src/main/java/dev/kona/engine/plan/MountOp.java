package dev.kona.engine.plan;

import static dev.kona.linux.syscall.MountFlags.MS_BIND;
import static dev.kona.linux.syscall.MountFlags.MS_REMOUNT;

/**
 * One mount(2) in the container's rootfs, flags already computed. A bind (MS_BIND in flags) with
 * further flags is remounted by the helper; {@code propagation} is applied after, when non-zero.
 * {@code target} is a path inside the container. {@code recursiveReadOnly} (OCI option "rro"):
 * after the bind, the helper makes it and every mount below it read-only with
 * {@code mount_setattr(AT_RECURSIVE, MOUNT_ATTR_RDONLY)}. {@code idmapped} (a bind whose OCI mount has
 * uid and gid mappings, in a container that joins a user namespace): the helper binds a clone of the
 * source idmapped with that user namespace ({@code open_tree}, {@code MOUNT_ATTR_IDMAP}, {@code move_mount}).
 */
public record MountOp(String source, String target, String fstype, long flags, long propagation, String data,
    boolean recursiveReadOnly, boolean idmapped) {

  public MountOp(String source, String target, String fstype, long flags, long propagation, String data,
      boolean recursiveReadOnly) {
    this(source, target, fstype, flags, propagation, data, recursiveReadOnly, false);
  }

  public MountOp(String source, String target, String fstype, long flags, long propagation, String data) {
    this(source, target, fstype, flags, propagation, data, false);
  }

  public MountOp {
    if (target == null || !target.startsWith("/")) {
      throw new IllegalArgumentException("mount target: expected an absolute path in the container, got " + target);
    }
    source = source == null ? "" : source;
    fstype = fstype == null ? "" : fstype;
    data = data == null ? "" : data;
  }

  /** A bind mount: its source is a path on the host that the container must never change by itself. */
  public boolean isBind() {
    return (flags & MS_BIND) != 0 && (flags & MS_REMOUNT) == 0;
  }
}
