package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code linux.namespaces[]}: {@code type} is one of pid, network, mount, ipc, uts, user, cgroup,
 * time. A {@code path} means join that namespace (a pinned pod namespace); none means create one.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LinuxNamespace(String type, String path) {
  public static final String PID = "pid";
  public static final String NETWORK = "network";
  public static final String MOUNT = "mount";
  public static final String IPC = "ipc";
  public static final String UTS = "uts";
  public static final String USER = "user";
  public static final String CGROUP = "cgroup";
  public static final String TIME = "time";

  public static LinuxNamespace create(String type) {
    return new LinuxNamespace(type, null);
  }

  public static LinuxNamespace join(String type, String path) {
    return new LinuxNamespace(type, path);
  }
}
