package dev.kona.runtime.sandbox;

import java.util.List;

/**
 * A sandbox as Kona persists it: the spec, and every resource it made, so any of them can be
 * undone after a daemon restart. Paths are empty when the resource was not made (e.g. no netns for a
 * host-network pod).
 *
 * @param netns the pinned network namespace file
 * @param ipcns the pinned IPC namespace file
 * @param utsns the pinned UTS namespace file
 * @param shm the pod's /dev/shm (a tmpfs mount point), or /dev/shm of the host for host IPC
 * @param filesDir hostname, hosts and resolv.conf for the pod's containers
 * @param ips the pod IPs from CNI, primary first
 * @param networkAttached CNI ADD succeeded and DEL has not yet
 * @param userns the pinned user namespace file (owner of the pod's other namespaces), or empty
 */
public record SandboxRecord(
    String id,
    SandboxSpec spec,
    long createdAtNanos,
    SandboxState state,
    String netns,
    String ipcns,
    String utsns,
    String shm,
    String filesDir,
    List<String> ips,
    boolean networkAttached,
    String userns) {

  public SandboxRecord(String id, SandboxSpec spec, long createdAtNanos, SandboxState state, String netns, String ipcns,
      String utsns, String shm, String filesDir, List<String> ips, boolean networkAttached) {
    this(id, spec, createdAtNanos, state, netns, ipcns, utsns, shm, filesDir, ips, networkAttached, "");
  }

  public SandboxRecord {
    ips = ips == null ? List.of() : List.copyOf(ips);
    userns = userns == null ? "" : userns;
  }

  public SandboxRecord withState(SandboxState s) {
    return new SandboxRecord(id, spec, createdAtNanos, s, netns, ipcns, utsns, shm, filesDir, ips, networkAttached, userns);
  }

  public SandboxRecord withSpec(SandboxSpec newSpec) {
    return new SandboxRecord(id, newSpec, createdAtNanos, state, netns, ipcns, utsns, shm, filesDir, ips, networkAttached);
  }

  public SandboxRecord withNetwork(List<String> newIps, boolean attached) {
    return new SandboxRecord(id, spec, createdAtNanos, state, netns, ipcns, utsns, shm, filesDir, newIps, attached,
        userns);
  }
}
