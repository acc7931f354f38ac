package dev.kona.runtime;

/**
 * What {@code Version} reports. The kubelet refuses a runtime that leaves any of these empty.
 *
 * @param runtimeVersion Kona's own version, from the build
 */
public record RuntimeInfo(String runtimeVersion) {

  /** The version of the kubelet-runtime API this server speaks, as containerd and CRI-O send it. */
  public static final String KUBELET_API_VERSION = "0.1.0";

  public static final String RUNTIME_NAME = "kona";
  public static final String RUNTIME_API_VERSION = "v1";

  public RuntimeInfo {
    if (runtimeVersion == null || runtimeVersion.isBlank()) {
      throw new IllegalArgumentException("runtimeVersion must not be empty");
    }
  }
}
