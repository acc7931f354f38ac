package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code linux.resources.memory}, in bytes; {@code swap} is memory+swap as on cgroup v1, -1 unlimited. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryResources(
    Long limit,
    Long reservation,
    Long swap,
    Long kernel,
    @JsonProperty("kernelTCP") Long kernelTcp,
    Long swappiness,
    @JsonProperty("disableOOMKiller") Boolean disableOomKiller,
    Boolean useHierarchy,
    Boolean checkBeforeUpdate) {

  public static MemoryResources limit(long bytes, Long swap) {
    return new MemoryResources(bytes, null, swap, null, null, null, null, null, null);
  }
}
