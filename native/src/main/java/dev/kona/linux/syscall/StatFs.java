package dev.kona.linux.syscall;

/**
 * The parts of {@code struct statfs} Kona reads: the filesystem magic, its mount flags, and the
 * space and inodes left ({@code blocksAvailable} is what an unprivileged writer may still use,
 * {@code blocksFree} includes the blocks reserved for root).
 */
public record StatFs(long type, long blockSize, long blocks, long blocksFree, long flags,
    long blocksAvailable, long files, long filesFree) {
  public static final long TMPFS_MAGIC = 0x01021994L;
  public static final long OVERLAYFS_SUPER_MAGIC = 0x794c7630L;
  public static final long CGROUP_SUPER_MAGIC = 0x27e0ebL;
  public static final long CGROUP2_SUPER_MAGIC = 0x63677270L;
  public static final long NSFS_MAGIC = 0x6e736673L;
  public static final long PROC_SUPER_MAGIC = 0x9fa0L;

  /** Without the space and inode counts (for callers that only look at the type and flags). */
  public StatFs(long type, long blockSize, long blocks, long blocksFree, long flags) {
    this(type, blockSize, blocks, blocksFree, flags, blocksFree, 0, 0);
  }

  /** {@code ST_RDONLY} in {@link #flags}. */
  public boolean readOnly() {
    return (flags & 1) != 0;
  }
}
