package dev.kona.image.registry;

import java.net.URI;

/**
 * One place to pull a registry's content from: the registry itself or one of its mirrors.
 * {@code base} is scheme://host[:port] plus an optional path prefix, without the {@code /v2}.
 */
public record RegistryEndpoint(String registry, URI base, boolean mirror, Credentials credentials) {

  public RegistryEndpoint {
    credentials = credentials == null ? Credentials.NONE : credentials;
    String text = base.toString();
    if (text.endsWith("/")) {
      base = URI.create(text.substring(0, text.length() - 1));
    }
  }

  /** {@code <base>/v2/<repository>/<kind>/<reference>}. */
  public URI uri(String repository, String kind, String reference) {
    return URI.create(base + "/v2/" + repository + "/" + kind + "/" + reference);
  }

  public String host() {
    return base.getAuthority();
  }

  @Override
  public String toString() {
    return mirror ? base + " (mirror of " + registry + ")" : base.toString();
  }
}
