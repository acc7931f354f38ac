package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code linux.resources.devices[]}: a device cgroup allow/deny rule. {@code type} a, c or b;
 * null major/minor mean any; {@code access} a combination of r, w, m.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {

  public static DeviceRule denyAll() {
    return new DeviceRule(false, null, null, null, "rwm");
  }
}
