package dev.kona.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.image.ImageConfig.RegistryConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryHostsTest {

  @Test
  void endpoints_unconfigured_isTheRegistryOverHttps() {
    List<RegistryEndpoint> endpoints = new RegistryHosts(Map.of()).endpoints("quay.io", Credentials.NONE);
    assertEquals(List.of("https://quay.io"), endpoints.stream().map(e -> e.base().toString()).toList());
    assertEquals("https://registry-1.docker.io", new RegistryHosts(Map.of()).endpoints("docker.io", Credentials.NONE).getFirst().base().toString());
  }

  @Test
  void endpoints_mirrorsFirstThenRegistry_orMirrorsOnly() {
    RegistryConfig withFallback = new RegistryConfig(List.of("http://127.0.0.1:5000", "mirror.example"), true, false, null, null, null, null);
    RegistryHosts hosts = new RegistryHosts(Map.of("gcr.io", withFallback, "registry.k8s.io", RegistryConfig.mirrorOnly("http://127.0.0.1:5000")));
    assertEquals(
        List.of("http://127.0.0.1:5000", "https://mirror.example", "https://gcr.io"),
        hosts.endpoints("gcr.io", Credentials.NONE).stream().map(e -> e.base().toString()).toList());
    List<RegistryEndpoint> only = hosts.endpoints("registry.k8s.io", Credentials.NONE);
    assertEquals(1, only.size());
    assertTrue(only.getFirst().mirror());
    assertEquals("http://127.0.0.1:5000/v2/pause/manifests/3.9", only.getFirst().uri("pause", "manifests", "3.9").toString());
  }

  @Test
  void endpoints_insecureRegistry_usesHttpAndConfiguredCredentials() {
    RegistryHosts hosts = new RegistryHosts(Map.of("127.0.0.1:5001", new RegistryConfig(List.of(), true, true, "u", "p", null, null)));
    RegistryEndpoint endpoint = hosts.endpoints("127.0.0.1:5001", Credentials.NONE).getFirst();
    assertEquals("http://127.0.0.1:5001", endpoint.base().toString());
    assertEquals("u", endpoint.credentials().username());
    Credentials fromKubelet = new Credentials("k", "s", "", "");
    assertEquals(fromKubelet, hosts.endpoints("127.0.0.1:5001", fromKubelet).getFirst().credentials());
  }
}
