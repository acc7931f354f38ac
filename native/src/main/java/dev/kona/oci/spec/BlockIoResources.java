package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code linux.resources.blockIO}: weights and per-device throttles. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BlockIoResources(
    Integer weight,
    Integer leafWeight,
    List<WeightDevice> weightDevice,
    List<ThrottleDevice> throttleReadBpsDevice,
    List<ThrottleDevice> throttleWriteBpsDevice,
    @JsonProperty("throttleReadIOPSDevice") List<ThrottleDevice> throttleReadIopsDevice,
    @JsonProperty("throttleWriteIOPSDevice") List<ThrottleDevice> throttleWriteIopsDevice) {

  public BlockIoResources {
    weightDevice = Copies.list(weightDevice);
    throttleReadBpsDevice = Copies.list(throttleReadBpsDevice);
    throttleWriteBpsDevice = Copies.list(throttleWriteBpsDevice);
    throttleReadIopsDevice = Copies.list(throttleReadIopsDevice);
    throttleWriteIopsDevice = Copies.list(throttleWriteIopsDevice);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {}

  public record ThrottleDevice(long major, long minor, long rate) {}
}
