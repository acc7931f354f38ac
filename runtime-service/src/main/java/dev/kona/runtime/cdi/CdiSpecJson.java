package dev.kona.runtime.cdi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * A Container Device Interface spec file as written (JSON or YAML), bound by Jackson; {@link
 * CdiSpecs} validates it and translates it into {@link CdiEdits}. Field names are the CDI
 * specification's (github.com/cncf-tags/container-device-interface, SPEC.md).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CdiSpecJson(
    String cdiVersion,
    String kind,
    Map<String, String> annotations,
    List<DeviceJson> devices,
    EditsJson containerEdits) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record DeviceJson(String name, Map<String, String> annotations, EditsJson containerEdits) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record EditsJson(
      List<String> env,
      List<DeviceNodeJson> deviceNodes,
      List<MountJson> mounts,
      List<HookJson> hooks,
      List<Long> additionalGids) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record DeviceNodeJson(String path, String hostPath, String type, Long major, Long minor, Integer fileMode,
      String permissions, Long uid, Long gid) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MountJson(String hostPath, String containerPath, String type, List<String> options) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record HookJson(String hookName, String path, List<String> args, List<String> env, Integer timeout) {}
}
