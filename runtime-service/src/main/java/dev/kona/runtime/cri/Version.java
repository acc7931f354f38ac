package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.VersionRequest;
import dev.kona.cri.api.v1.VersionResponse;
import dev.kona.runtime.RuntimeInfo;

/** Version: the kubelet's connection probe; every field must be non-empty. */
final class Version {

  private final VersionResponse response;

  Version(RuntimeInfo info) {
    this.response =
        VersionResponse.newBuilder()
            .setVersion(RuntimeInfo.KUBELET_API_VERSION)
            .setRuntimeName(RuntimeInfo.RUNTIME_NAME)
            .setRuntimeVersion(info.runtimeVersion())
            .setRuntimeApiVersion(RuntimeInfo.RUNTIME_API_VERSION)
            .build();
  }

  VersionResponse handle(VersionRequest request) {
    return response;
  }
}
