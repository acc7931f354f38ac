package dev.kona.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How cgroup_parent paths from the kubelet are read: plain paths, or systemd slice names. */
public enum CgroupDriver {
  CGROUPFS,
  SYSTEMD;

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static CgroupDriver parse(String text) {
    for (CgroupDriver d : values()) {
      if (d.configName().equals(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "expected one of "
            + Arrays.stream(values()).map(CgroupDriver::configName).collect(Collectors.joining(", "))
            + ", got \"" + text + "\"");
  }
}
