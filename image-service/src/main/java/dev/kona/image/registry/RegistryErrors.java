package dev.kona.image.registry;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.error.ResourceExhaustedException;
import dev.kona.common.error.UnavailableException;

/** Maps a registry's HTTP status to the error family, naming the endpoint, repository and status. */
final class RegistryErrors {

  private RegistryErrors() {}

  static KonaException of(int status, RegistryEndpoint endpoint, String repository, String what, String body) {
    String where = "registry " + endpoint + " repository " + repository + ": " + what;
    String detail = body == null || body.isBlank() ? "" : ": " + abbreviate(body);
    return switch (status) {
      case 401, 403 ->
          new FailedPreconditionException(where + ": authentication failed (HTTP " + status + ")" + detail);
      case 404 -> new NotFoundException(where + ": not found (HTTP 404)" + detail);
      case 429 -> new ResourceExhaustedException(where + ": rate limited (HTTP 429)" + detail);
      default -> {
        if (status >= 500) {
          yield new UnavailableException(where + ": registry error (HTTP " + status + ")" + detail);
        }
        yield new InternalException(where + ": unexpected HTTP " + status + detail, null);
      }
    };
  }

  private static String abbreviate(String body) {
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
