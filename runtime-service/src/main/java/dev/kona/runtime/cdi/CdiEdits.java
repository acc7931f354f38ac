package dev.kona.runtime.cdi;

import java.util.ArrayList;
import java.util.List;

/**
 * The container edits of the CDI devices a container asked for, merged in the order the CDI
 * specification gives: for each device, its spec's edits and then the device's own.
 *
 * @param devices the fully-qualified names these edits came from
 * @param env {@code KEY=VALUE} entries, set after the container's own
 * @param deviceNodes nodes to make in the container and allow in its device cgroup
 * @param mounts bind mounts
 * @param hooks OCI hooks, run by the OCI runtime at {@code hookName}
 * @param additionalGids added to the process's supplementary groups
 */
public record CdiEdits(
    List<String> devices,
    List<String> env,
    List<DeviceNode> deviceNodes,
    List<Mount> mounts,
    List<Hook> hooks,
    List<Long> additionalGids) {

  public static final CdiEdits NONE = new CdiEdits(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  public CdiEdits {
    devices = List.copyOf(devices);
    env = List.copyOf(env);
    deviceNodes = List.copyOf(deviceNodes);
    mounts = List.copyOf(mounts);
    hooks = List.copyOf(hooks);
    additionalGids = List.copyOf(additionalGids);
  }

  public boolean isEmpty() {
    return devices.isEmpty();
  }

  CdiEdits plus(CdiEdits more) {
    return new CdiEdits(concat(devices, more.devices), concat(env, more.env), concat(deviceNodes, more.deviceNodes),
        concat(mounts, more.mounts), concat(hooks, more.hooks), concat(additionalGids, more.additionalGids));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * @param hostPath the host's node, {@code path} when the spec gives none
   * @param permissions device cgroup access ({@code rwm} when the spec gives none)
   * @param fileMode, uid, gid of the node in the container; null for the host node's
   * @param type, major, minor the node as the spec gives it ({@code c}, {@code u} or {@code b}); when
   *     the host node does not exist, the container's is made from them. Null when not given
   */
  public record DeviceNode(String path, String hostPath, String permissions, Integer fileMode, Long uid, Long gid,
      String type, Long major, Long minor) {
    public DeviceNode(String path, String hostPath, String permissions, Integer fileMode, Long uid, Long gid) {
      this(path, hostPath, permissions, fileMode, uid, gid, null, null, null);
    }
  }

  /** A bind mount; {@code options} as the spec gives them (ro, nosuid, rbind, rslave, …). */
  public record Mount(String hostPath, String containerPath, List<String> options) {
    public Mount {
      options = List.copyOf(options);
    }
  }

  public record Hook(String hookName, String path, List<String> args, List<String> env, Integer timeout) {
    public Hook {
      args = List.copyOf(args);
      env = List.copyOf(env);
    }
  }
}
