package dev.kona.server.streaming.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes {@code metav1.Status} that v4+ clients read from the error stream; kubectl turns
 * a NonZeroExitCode cause into its own exit code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusJson(
    Map<String, Object> metadata,
    String status,
    String message,
    String reason,
    Details details,
    Integer code) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Details(List<Cause> causes) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Cause(String reason, String message) {}
}
