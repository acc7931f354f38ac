package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code linux.resources}: the cgroup limits. {@code unified} holds raw cgroup v2 file values. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Resources(
    List<DeviceRule> devices,
    MemoryResources memory,
    CpuResources cpu,
    PidsResources pids,
    @JsonProperty("blockIO") BlockIoResources blockIo,
    List<HugepageLimit> hugepageLimits,
    Map<String, String> unified) {

  public Resources {
    devices = Copies.list(devices);
    hugepageLimits = Copies.list(hugepageLimits);
    unified = Copies.map(unified);
  }
}
