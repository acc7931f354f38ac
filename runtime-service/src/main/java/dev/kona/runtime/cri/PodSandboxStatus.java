package dev.kona.runtime.cri;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.PodSandboxStatusResponse;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;
import java.time.Instant;

/** PodSandboxStatus: state, IPs, namespace options; with verbose, the whole record as JSON. */
final class PodSandboxStatus {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Sandboxes sandboxes;

  PodSandboxStatus(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  PodSandboxStatusResponse handle(PodSandboxStatusRequest request) {
    SandboxRecord record = sandboxes.get(request.getPodSandboxId());
    Instant now = Instant.now();
    PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
        .setStatus(SandboxProtos.toStatus(record))
        .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    if (request.getVerbose()) {
      try {
        response.putInfo("info", JSON.writeValueAsString(record));
      } catch (JsonProcessingException e) {
        throw new dev.kona.common.error.InternalException("render sandbox " + record.id() + ": " + e.getMessage(), e);
      }
    }
    return response.build();
  }
}
