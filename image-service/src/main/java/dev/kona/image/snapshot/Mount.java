package dev.kona.image.snapshot;

import java.util.List;

/**
 * A mount for the runtime to perform, as {@code mount -t type -o options source target} would; the
 * target is the runtime's choice (the container's rootfs directory).
 */
public record Mount(String type, String source, List<String> options) {

  public Mount {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("mount: type is required");
    }
    options = List.copyOf(options);
  }

  /** The options as mount(2)'s data string. */
  public String data() {
    return String.join(",", options);
  }

  @Override
  public String toString() {
    return type + " " + source + " " + data();
  }
}
