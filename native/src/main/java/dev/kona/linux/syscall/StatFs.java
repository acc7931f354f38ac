package dev.kona.linux.syscall;

/** The parts of {@code struct statfs} Kona reads: the filesystem magic and its mount flags. */
public record StatFs(long type, long blockSize, long blocks, long blocksFree, long flags) {
  public static final long TMPFS_MAGIC = 0x01021994L;
  public static final long OVERLAYFS_SUPER_MAGIC = 0x794c7630L;
  public static final long CGROUP_SUPER_MAGIC = 0x27e0ebL;
  public static final long CGROUP2_SUPER_MAGIC = 0x63677270L;
  public static final long NSFS_MAGIC = 0x6e736673L;
  public static final long PROC_SUPER_MAGIC = 0x9fa0L;

  /** {@code ST_RDONLY} in {@link #flags}. */
  public boolean readOnly() {
    return (flags & 1) != 0;
  }
}
