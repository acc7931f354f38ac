package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code linux.resources.cpu}: shares (v1 units, 2..262144), quota and period in microseconds,
 * cpuset {@code cpus}/{@code mems} lists such as {@code "0-3,5"}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CpuResources(
    Long shares,
    Long quota,
    Long burst,
    Long period,
    Long realtimeRuntime,
    Long realtimePeriod,
    String cpus,
    String mems,
    Long idle) {

  public static CpuResources of(Long shares, Long quota, Long period, String cpus, String mems) {
    return new CpuResources(shares, quota, null, period, null, null, cpus, mems, null);
  }
}
