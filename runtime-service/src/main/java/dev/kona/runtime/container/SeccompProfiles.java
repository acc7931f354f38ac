package dev.kona.runtime.container;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The seccomp filter a container asked for: none, the runtime default (which, as Docker's, allows
 * more syscalls when the container holds more capabilities), or a profile file on the node.
 */
public final class SeccompProfiles {

  private final Function<Set<String>, Seccomp> runtimeDefault;

  public SeccompProfiles(Function<Set<String>, Seccomp> runtimeDefault) {
    this.runtimeDefault = runtimeDefault;
  }

  /** @param capabilities the container's effective capabilities */
  public Seccomp resolve(ContainerSpec.Security security, List<String> capabilities) {
    return switch (security.seccomp()) {
      case UNCONFINED -> null;
      case RUNTIME_DEFAULT -> runtimeDefault.apply(Set.copyOf(capabilities));
      case LOCALHOST -> load(security.seccompLocalhostRef());
    };
  }

  private static Seccomp load(String ref) {
    Path path = Path.of(ref.startsWith("localhost/") ? ref.substring("localhost/".length()) : ref);
    if (!path.isAbsolute()) {
      throw new InvalidArgumentException("seccomp profile \"" + ref + "\": localhost profiles need an absolute path");
    }
    try {
      return SpecJson.mapper().readValue(Files.readString(path), Seccomp.class);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("seccomp profile " + path + " does not exist");
    } catch (IOException e) {
      throw new InvalidArgumentException("seccomp profile " + path + ": not a valid profile: " + e.getMessage(), e);
    }
  }
}
