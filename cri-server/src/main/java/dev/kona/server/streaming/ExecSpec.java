package dev.kona.server.streaming;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;

/** A command to run in a container, with the stdio its client asked for. */
public record ExecSpec(String containerId, List<String> command, StdioOptions stdio)
    implements StreamRequest {

  public ExecSpec {
    if (containerId == null || containerId.isBlank()) {
      throw new InvalidArgumentException("exec: missing required container_id");
    }
    if (command == null || command.isEmpty()) {
      throw new InvalidArgumentException("exec " + containerId + ": cmd is empty");
    }
    command = List.copyOf(command);
    if (stdio == null) {
      throw new InvalidArgumentException("exec " + containerId + ": stdio options missing");
    }
  }

  @Override
  public String route() {
    return "exec";
  }
}
