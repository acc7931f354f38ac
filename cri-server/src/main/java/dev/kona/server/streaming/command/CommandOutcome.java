package dev.kona.server.streaming.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** How a remote command ended, and how each protocol version writes that on the error stream. */
public sealed interface CommandOutcome {

  record Success() implements CommandOutcome {}

  record NonZeroExit(int code) implements CommandOutcome {}

  record Failed(String message) implements CommandOutcome {}

  ObjectMapper JSON = new ObjectMapper();

  /** The error stream's content: v4+ always a JSON Status, older versions text on failure only. */
  default byte[] encode(CommandProtocol protocol) {
    if (!protocol.structuredStatus()) {
      String text =
          switch (this) {
            case Success s -> "";
            case NonZeroExit e -> message(e);
            case Failed e -> e.message();
          };
      return text.getBytes(StandardCharsets.UTF_8);
    }
    StatusJson status =
        switch (this) {
          case Success s -> new StatusJson(Map.of(), "Success", null, null, null, null);
          case NonZeroExit e ->
              new StatusJson(
                  Map.of(),
                  "Failure",
                  message(e),
                  "NonZeroExitCode",
                  new StatusJson.Details(
                      List.of(new StatusJson.Cause("ExitCode", Integer.toString(e.code())))),
                  null);
          case Failed e ->
              new StatusJson(Map.of(), "Failure", e.message(), "InternalError", null, 500);
        };
    try {
      return JSON.writeValueAsBytes(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("encode stream status " + status, e);
    }
  }

  private static String message(NonZeroExit e) {
    return "command terminated with non-zero exit code: exit status " + e.code();
  }
}
