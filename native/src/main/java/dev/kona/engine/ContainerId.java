package dev.kona.engine;

import dev.kona.common.error.InvalidArgumentException;
import java.util.regex.Pattern;

/** A container's id as the engines see it: also the name of its state directory under the run root. */
public record ContainerId(String value) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  public ContainerId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidArgumentException(
          "container id: expected 1-128 of [A-Za-z0-9_.-] not starting with a punctuation mark, got \""
              + value + "\"");
    }
  }

  public static ContainerId parse(String value) {
    return new ContainerId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
