package dev.kona.server.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code [log]} section.
 *
 * @param level error, warn, info, debug or trace
 * @param format text (one line per event) or json (one JSON object per line)
 */
public record LogConfig(String level, Format format) {

  private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

  public LogConfig {
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("level: expected one of error, warn, info, debug, trace, got \"" + level + "\"");
    }
  }

  public enum Format {
    TEXT,
    JSON;

    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Format parse(String text) {
      return switch (text) {
        case "text" -> TEXT;
        case "json" -> JSON;
        default -> throw new IllegalArgumentException("expected text or json, got \"" + text + "\"");
      };
    }
  }
}
