package dev.kona.image.registry;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ref.ImageReference;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where to pull a registry's content from, in order: its configured mirrors, then the registry
 * itself unless {@code fallback_to_registry = false} (containerd's hosts.toml with a server that is
 * a mirror). Credentials: those the kubelet sent for this registry win; else the configured ones.
 */
public final class RegistryHosts {

  private final Map<String, RegistryConfig> registries;

  public RegistryHosts(Map<String, RegistryConfig> registries) {
    this.registries = Map.copyOf(registries);
  }

  public List<RegistryEndpoint> endpoints(String registry, Credentials fromRequest) {
    RegistryConfig config = registries.get(registry);
    List<RegistryEndpoint> endpoints = new ArrayList<>();
    if (config != null) {
      for (String mirror : config.mirrors()) {
        URI base = URI.create(mirror.contains("://") ? mirror : "https://" + mirror);
        endpoints.add(new RegistryEndpoint(registry, base, true, credentialsFor(base.getAuthority(), Credentials.NONE)));
      }
    }
    if (config == null || config.fallbackToRegistry()) {
      boolean insecure = config != null && config.insecure();
      String host = registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
      URI base = URI.create((insecure ? "http://" : "https://") + host);
      endpoints.add(new RegistryEndpoint(registry, base, false, credentialsFor(registry, fromRequest)));
    }
    if (endpoints.isEmpty()) {
      throw new FailedPreconditionException(
          "resolve registry " + registry + ": fallback_to_registry is false and no mirrors are configured");
    }
    return endpoints;
  }

  private Credentials credentialsFor(String host, Credentials fromRequest) {
    if (fromRequest != null && !fromRequest.isEmpty()) {
      return fromRequest;
    }
    RegistryConfig config = registries.get(host);
    if (config == null) {
      return Credentials.NONE;
    }
    return new Credentials(config.username(), config.password(), config.identityToken(), config.registryToken());
  }
}
