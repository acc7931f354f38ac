package dev.kona.runtime.sandbox;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Map;
import java.util.Set;

/**
 * Which sysctls a pod may set: only those scoped to a namespace the pod owns (net.* in its netns,
 * the IPC ones in its IPC namespace), as the kubelet's "safe and unsafe namespaced" sets define.
 */
final class Sysctls {

  private static final Set<String> IPC_KEYS =
      Set.of("kernel.shmmax", "kernel.shmall", "kernel.shmmni", "kernel.shm_rmid_forced",
          "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem");

  enum Scope { NET, IPC }

  private Sysctls() {}

  static Scope scopeOf(String key, SandboxSpec spec) {
    String name = key.replace('/', '.');
    if (name.startsWith("net.")) {
      if (spec.hostNetwork()) {
        throw new InvalidArgumentException(
            "config.linux.sysctls: " + key + " needs the pod's own network namespace, but the pod uses the host network");
      }
      return Scope.NET;
    }
    if (IPC_KEYS.contains(name) || name.startsWith("fs.mqueue.")) {
      if (spec.namespaces().ipc() == SandboxSpec.NamespaceMode.NODE) {
        throw new InvalidArgumentException(
            "config.linux.sysctls: " + key + " needs the pod's own IPC namespace, but the pod uses the host IPC");
      }
      return Scope.IPC;
    }
    throw new InvalidArgumentException(
        "config.linux.sysctls: " + key + " is not namespaced; a pod may only set net.*, kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.*");
  }

  static void validate(SandboxSpec spec) {
    for (Map.Entry<String, String> e : spec.sysctls().entrySet()) {
      scopeOf(e.getKey(), spec);
      if (e.getValue().contains("\n")) {
        throw new InvalidArgumentException("config.linux.sysctls: value of " + e.getKey() + " contains a newline");
      }
    }
  }

  static String procPath(String key) {
    return "/proc/sys/" + key.replace('.', '/');
  }
}
