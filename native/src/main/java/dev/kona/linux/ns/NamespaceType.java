package dev.kona.linux.ns;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.CloneFlags;

/** A Linux namespace kind: its {@code /proc/<pid>/ns} file name, clone flag and OCI spec name. */
public enum NamespaceType {
  NET("net", CloneFlags.CLONE_NEWNET, "network"),
  IPC("ipc", CloneFlags.CLONE_NEWIPC, "ipc"),
  UTS("uts", CloneFlags.CLONE_NEWUTS, "uts"),
  MNT("mnt", CloneFlags.CLONE_NEWNS, "mount"),
  PID("pid", CloneFlags.CLONE_NEWPID, "pid"),
  CGROUP("cgroup", CloneFlags.CLONE_NEWCGROUP, "cgroup"),
  USER("user", CloneFlags.CLONE_NEWUSER, "user"),
  TIME("time", CloneFlags.CLONE_NEWTIME, "time");

  private final String procName;
  private final int cloneFlag;
  private final String ociName;

  NamespaceType(String procName, int cloneFlag, String ociName) {
    this.procName = procName;
    this.cloneFlag = cloneFlag;
    this.ociName = ociName;
  }

  /** The file name under {@code /proc/<pid>/ns/}. */
  public String procName() {
    return procName;
  }

  public int cloneFlag() {
    return cloneFlag;
  }

  /** The {@code linux.namespaces[].type} of the OCI runtime spec. */
  public String ociName() {
    return ociName;
  }

  public static NamespaceType ofOciName(String name) {
    for (NamespaceType t : values()) {
      if (t.ociName.equals(name)) {
        return t;
      }
    }
    throw new InvalidArgumentException("namespace type: unknown \"" + name + "\"");
  }
}
