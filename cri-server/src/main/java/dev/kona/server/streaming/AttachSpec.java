package dev.kona.server.streaming;

import dev.kona.common.error.InvalidArgumentException;

/** A request to join a running container's own stdio. */
public record AttachSpec(String containerId, StdioOptions stdio) implements StreamRequest {

  public AttachSpec {
    if (containerId == null || containerId.isBlank()) {
      throw new InvalidArgumentException("attach: missing required container_id");
    }
    if (stdio == null) {
      throw new InvalidArgumentException("attach " + containerId + ": stdio options missing");
    }
  }

  @Override
  public String route() {
    return "attach";
  }
}
