package dev.kona.image.content;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Locale;

/** An OS/architecture/variant triple as an index lists it; {@code variant} may be empty. */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    if (os == null || os.isEmpty() || architecture == null || architecture.isEmpty()) {
      throw new InvalidArgumentException("platform: os and architecture are required, got " + os + "/" + architecture);
    }
    variant = variant == null ? "" : variant;
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String text) {
    String[] parts = text.split("/");
    if (parts.length < 2 || parts.length > 3) {
      throw new InvalidArgumentException("parse platform: expected os/arch[/variant], got \"" + text + "\"");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** linux and the architecture of this JVM in Go's naming (amd64, arm64, ...). */
  public static Platform host() {
    String arch =
        switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          case "arm" -> "arm";
          case "ppc64le" -> "ppc64le";
          case "s390x" -> "s390x";
          case "riscv64" -> "riscv64";
          case String other -> other;
        };
    return new Platform("linux", arch, arch.equals("arm64") ? "v8" : "");
  }

  /** Whether an index entry for {@code offered} runs here (variant-aware, arm64's v8 is the default). */
  public boolean accepts(Platform offered) {
    if (!os.equals(offered.os) || !architecture.equals(offered.architecture)) {
      return false;
    }
    if (offered.variant.isEmpty() || variant.isEmpty()) {
      return true;
    }
    return variant.equals(offered.variant);
  }

  @Override
  public String toString() {
    return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
  }
}
