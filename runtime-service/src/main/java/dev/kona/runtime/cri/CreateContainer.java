package dev.kona.runtime.cri;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.CreateContainerResponse;
import dev.kona.cri.api.v1.SupplementalGroupsPolicy;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.container.LogPaths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** CreateContainer: the image's rootfs, the OCI spec, and the container set up and waiting. */
final class CreateContainer {

  private final Containers containers;

  CreateContainer(Containers containers) {
    this.containers = containers;
  }

  CreateContainerResponse handle(CreateContainerRequest request) {
    if (request.getPodSandboxId().isEmpty()) {
      throw new InvalidArgumentException("pod_sandbox_id is required");
    }
    if (!request.hasConfig()) {
      throw new InvalidArgumentException("config is required");
    }
    checkLimits(request.getConfig());
    HostSecurityModules.HOST.check(request.getConfig().getLinux().getSecurityContext());
    String id = containers.create(request.getPodSandboxId(), ContainerProtos.toSpec(request.getConfig(),
        request.getSandboxConfig().getLinux().getSecurityContext().getSupplementalGroupsPolicy()
            == SupplementalGroupsPolicy.Strict, containers.podHasUserNamespace(request.getPodSandboxId())),
        cdiDevices(request.getConfig()));
    return CreateContainerResponse.newBuilder().setContainerId(id).build();
  }

  /** The prefix of the annotations that name CDI devices, as containerd and CRI-O read them. */
  static final String CDI_ANNOTATION_PREFIX = "cdi.k8s.io/";

  /**
   * The CDI devices the container asks for (KEP-4009), in order, without repeats: the CDI_devices
   * field, then each {@code cdi.k8s.io/} annotation's comma-separated names; each with its field.
   */
  static Map<String, String> cdiDevices(ContainerConfig config) {
    Map<String, String> devices = new LinkedHashMap<>();
    for (int i = 0; i < config.getCDIDevicesCount(); i++) {
      String name = config.getCDIDevices(i).getName();
      if (name.isEmpty()) {
        throw new InvalidArgumentException("config.CDI_devices[" + i + "].name is required");
      }
      devices.putIfAbsent(name, "config.CDI_devices[" + i + "]");
    }
    new TreeMap<>(config.getAnnotationsMap()).forEach((key, value) -> {
      if (key.startsWith(CDI_ANNOTATION_PREFIX)) {
        for (String name : value.split(",")) {
          if (!name.isBlank()) {
            devices.putIfAbsent(name.trim(), "config.annotations[\"" + key + "\"]");
          }
        }
      }
    });
    return devices;
  }

  /** What ends up in the container's record, its listings and its log path, bounded before anything is made. */
  private static void checkLimits(ContainerConfig config) {
    RequestLimits.name("config.metadata.name", config.getMetadata().getName());
    RequestLimits.labels("config.labels", config.getLabelsMap());
    RequestLimits.annotations("config.annotations", config.getAnnotationsMap());
    RequestLimits.path("config.log_path", config.getLogPath());
    LogPaths.checkRelative("config.log_path", config.getLogPath());
  }
}
