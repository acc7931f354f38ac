package dev.kona.image.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A descriptor as manifests and indexes write it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DescriptorJson(
    String mediaType,
    String digest,
    Long size,
    PlatformJson platform,
    Map<String, String> annotations,
    List<String> urls) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlatformJson(
      String os,
      String architecture,
      String variant,
      @com.fasterxml.jackson.annotation.JsonProperty("os.version") String osVersion) {}
}
