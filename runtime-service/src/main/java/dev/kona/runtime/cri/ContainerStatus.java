package dev.kona.runtime.cri;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.ContainerStatusResponse;
import dev.kona.engine.ContainerState;
import dev.kona.oci.spec.SpecJson;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** ContainerStatus: state and times from the engine, the rest from the record; verbose adds pid and spec. */
final class ContainerStatus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Containers containers;

  ContainerStatus(Containers containers) {
    this.containers = containers;
  }

  ContainerStatusResponse handle(ContainerStatusRequest request) {
    ContainerRecord record = containers.get(request.getContainerId());
    ContainerState state = containers.stateOf(record);
    ContainerStatusResponse.Builder response =
        ContainerStatusResponse.newBuilder().setStatus(ContainerProtos.toStatus(record, state));
    if (request.getVerbose()) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("sandboxID", record.sandboxId());
      info.put("pid", state.pid());
      info.put("runtimeSpec", SpecJson.read(Path.of(record.bundle())));
      try {
        response.putInfo("info", JSON.writeValueAsString(info));
      } catch (JsonProcessingException e) {
        throw new dev.kona.common.error.InternalException("render container " + record.id() + ": " + e.getMessage(), e);
      }
    }
    return response.build();
  }
}
