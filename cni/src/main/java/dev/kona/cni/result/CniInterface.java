package dev.kona.cni.result;

/**
 * An interface an attachment created.
 *
 * @param name interface name, e.g. eth0 or the host-side veth
 * @param mac hardware address, or null
 * @param sandbox the netns path for interfaces inside the pod, null or empty for host interfaces
 */
public record CniInterface(String name, String mac, String sandbox) {

  public CniInterface {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("interface name must not be empty");
    }
  }

  public boolean inSandbox() {
    return sandbox != null && !sandbox.isEmpty();
  }
}
