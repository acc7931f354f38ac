package dev.kona.linux.syscall;

/** Namespace flags for {@code unshare(2)} and {@code setns(2)} (linux/sched.h). */
public final class CloneFlags {
  /** Not a namespace: the thread's own working directory, root and umask. */
  public static final int CLONE_FS = 0x00000200;
  public static final int CLONE_NEWTIME = 0x00000080;
  public static final int CLONE_NEWNS = 0x00020000;
  public static final int CLONE_NEWCGROUP = 0x02000000;
  public static final int CLONE_NEWUTS = 0x04000000;
  public static final int CLONE_NEWIPC = 0x08000000;
  public static final int CLONE_NEWUSER = 0x10000000;
  public static final int CLONE_NEWPID = 0x20000000;
  public static final int CLONE_NEWNET = 0x40000000;

  private CloneFlags() {}
}
