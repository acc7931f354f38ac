package dev.kona.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.image.ImageConfig.RegistryConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containerd's hosts.toml as Kona reads it, and how it combines with images.registries. */
class HostsDirectoryTest {

  @TempDir Path dir;

  private void write(String registry, String toml) throws IOException {
    Files.createDirectories(dir.resolve(registry));
    Files.writeString(dir.resolve(registry).resolve("hosts.toml"), toml);
  }

  @Test
  void read_containerdExample_everyKey() throws IOException {
    write("docker.io", """
        server = "https://registry-1.docker.io"

        [host."https://mirror.example:5000"]
          capabilities = ["pull", "resolve"]
          ca = "mirror-ca.pem"
          [host."https://mirror.example:5000".header]
            X-Custom = "a"
            X-Multi = ["b", "c"]

        [host."http://127.0.0.1:5001"]
          capabilities = ["pull"]
          skip_verify = true
          override_path = true
          username = "mirror-user"
          password = "mirror-pass"
        """);
    HostsFile file = new HostsDirectory(dir).read("docker.io").orElseThrow();
    assertEquals(2, file.hosts().size());
    HostsFile.Host first = file.hosts().get(0);
    assertEquals(URI.create("https://mirror.example:5000"), first.base());
    assertEquals(List.of("pull", "resolve"), first.capabilities());
    assertEquals(List.of(dir.resolve("docker.io/mirror-ca.pem")), first.caFiles(), "a relative ca is beside hosts.toml");
    assertEquals(Map.of("X-Custom", List.of("a"), "X-Multi", List.of("b", "c")), first.headers());
    HostsFile.Host second = file.hosts().get(1);
    assertTrue(second.skipVerify());
    assertTrue(second.overridePath());
    assertEquals("mirror-user", second.credentials().username());
    assertEquals(URI.create("https://registry-1.docker.io"), file.server().base());
    assertEquals(HostsDirectory.ALL_CAPABILITIES, file.server().capabilities());
  }

  @Test
  void read_noFile_isEmpty_andABadOneNamesFileAndKey() throws IOException {
    assertTrue(new HostsDirectory(dir).read("quay.io").isEmpty());
    assertTrue(new HostsDirectory(null).read("quay.io").isEmpty());
    write("quay.io", "[host.\"https://m\"]\n  capabilites = [\"pull\"]\n");
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
        () -> new HostsDirectory(dir).read("quay.io"));
    assertTrue(e.getMessage().contains(dir.resolve("quay.io/hosts.toml").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("host.\"https://m\".capabilites: unknown key"), e.getMessage());

    write("quay.io", "server = \"https://quay.io\"\nclient = [[\"c.pem\", \"k.pem\"]]\n");
    e = assertThrows(FailedPreconditionException.class, () -> new HostsDirectory(dir).read("quay.io"));
    assertTrue(e.getMessage().contains("client: client certificates are not supported"), e.getMessage());

    write("quay.io", "server = \"https://quay.io\n");
    e = assertThrows(FailedPreconditionException.class, () -> new HostsDirectory(dir).read("quay.io"));
    assertTrue(e.getMessage().contains("not valid TOML"), e.getMessage());

    write("quay.io", "[host.\"https://m\"]\n  capabilities = [\"pull\", \"fetch\"]\n");
    e = assertThrows(FailedPreconditionException.class, () -> new HostsDirectory(dir).read("quay.io"));
    assertTrue(e.getMessage().contains("\"fetch\" is not one of pull, resolve, push"), e.getMessage());
  }

  @Test
  void endpoints_hostsFileWinsOverTheTable_whoseCredentialsStillApplyToTheServer() throws IOException {
    write("registry.k8s.io", """
        server = "https://registry.k8s.io"
        [host."http://127.0.0.1:5000"]
        """);
    RegistryHosts hosts = new RegistryHosts(Map.of("registry.k8s.io",
        new RegistryConfig(List.of("http://127.0.0.1:6000"), false, false, "table-user", "table-pass", null, null)),
        new HostsDirectory(dir));
    List<RegistryEndpoint> endpoints = hosts.endpoints("registry.k8s.io", Credentials.NONE);
    assertEquals(List.of(URI.create("http://127.0.0.1:5000"), URI.create("https://registry.k8s.io")),
        endpoints.stream().map(RegistryEndpoint::base).toList(), "the table's mirror and fallback = false are ignored");
    assertTrue(endpoints.get(0).mirror());
    assertEquals("table-user", endpoints.get(1).credentials().username());
    assertTrue(endpoints.get(0).credentials().isEmpty(), "the registry's credentials never go to a mirror");
    Credentials kubelet = new Credentials("kubelet", "secret", null, null);
    assertEquals(kubelet, hosts.endpoints("registry.k8s.io", kubelet).get(1).credentials());
  }

  @Test
  void endpoints_pullOnlyHost_servesDigestsNotTags_andNoServerMeansTheRegistry() throws IOException {
    write("ghcr.io", """
        [host."https://blobs.example"]
          capabilities = ["pull"]
          [host."https://blobs.example".header]
            Authorization-Extra = "x"
        """);
    RegistryHosts hosts = new RegistryHosts(Map.of(), new HostsDirectory(dir));
    assertEquals(List.of(URI.create("https://ghcr.io")),
        hosts.endpoints("ghcr.io", Credentials.NONE, false).stream().map(RegistryEndpoint::base).toList());
    List<RegistryEndpoint> byDigest = hosts.endpoints("ghcr.io", Credentials.NONE, true);
    assertEquals(List.of(URI.create("https://blobs.example"), URI.create("https://ghcr.io")),
        byDigest.stream().map(RegistryEndpoint::base).toList());
    assertEquals(Map.of("Authorization-Extra", List.of("x")), byDigest.get(0).headers());
    assertTrue(byDigest.get(1).headers().isEmpty(), "a host's headers are its own");
  }

  @Test
  void endpoints_fileChanges_applyToTheNextCall() throws IOException {
    RegistryHosts hosts = new RegistryHosts(Map.of(), new HostsDirectory(dir));
    assertEquals(1, hosts.endpoints("example.com", Credentials.NONE).size());
    write("example.com", "[host.\"http://127.0.0.1:7000\"]\n");
    assertEquals(URI.create("http://127.0.0.1:7000"), hosts.endpoints("example.com", Credentials.NONE).getFirst().base());
    write("example.com", "server = \"http://127.0.0.1:7001\"\n[host.\"http://127.0.0.1:7002\"]\n  capabilities = [\"push\"]\n");
    List<RegistryEndpoint> now = hosts.endpoints("example.com", Credentials.NONE);
    assertEquals(List.of(URI.create("http://127.0.0.1:7001")), now.stream().map(RegistryEndpoint::base).toList());
    assertFalse(now.getFirst().mirror());
  }

  @Test
  void endpoint_overridePath_leavesOutV2() {
    RegistryEndpoint e = new RegistryEndpoint("r", URI.create("https://m.example/api/v2/"), true, Credentials.NONE,
        Map.of(), RegistryEndpoint.Tls.DEFAULT, true);
    assertEquals(URI.create("https://m.example/api/v2/lib/x/manifests/1"), e.uri("lib/x", "manifests", "1"));
  }
}
