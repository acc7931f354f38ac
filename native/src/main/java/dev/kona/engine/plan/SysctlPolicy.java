package dev.kona.engine.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sysctls a container may set: only namespaced ones, and only when it has the namespace they
 * belong to (as runc checks): IPC ones need an IPC namespace, {@code net.*} a network namespace,
 * the host and domain name a UTS namespace. Anything else would change the host.
 */
final class SysctlPolicy {
  private static final Set<String> IPC = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
      "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
  private static final Set<String> UTS = Set.of("kernel.hostname", "kernel.domainname");

  private SysctlPolicy() {}

  static void check(Map<String, String> sysctls, List<NamespaceEntry> namespaces) {
    for (String key : sysctls.keySet()) {
      String needs;
      if (IPC.contains(key) || key.startsWith("fs.mqueue.")) {
        needs = "ipc";
      } else if (key.startsWith("net.")) {
        needs = "net";
      } else if (UTS.contains(key)) {
        needs = "uts";
      } else {
        throw new IllegalArgumentException("linux.sysctl " + key + ": not a namespaced sysctl, it would change the host");
      }
      if (namespaces.stream().noneMatch(ns -> ns.type().equals(needs))) {
        throw new IllegalArgumentException("linux.sysctl " + key + ": needs the container's own " + needs
            + " namespace, but it shares the host's");
      }
    }
  }
}
