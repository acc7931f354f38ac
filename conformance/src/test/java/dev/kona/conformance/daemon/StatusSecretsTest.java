package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.StatusResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** crictl info (Status verbose) shows the effective config, but never a registry credential. */
class StatusSecretsTest {

  private static final List<String> SECRETS =
      List.of("s3cret-password-4711", "identity-token-4711", "registry-token-4711", "mirror-pass-4711");

  @TempDir Path root;

  @Test
  void statusVerbose_configWithRegistryCredentials_showsNoSecret() throws Exception {
    String toml = """
        [images.registries."registry.example.com"]
        username = "alice"
        password = "s3cret-password-4711"
        identity_token = "identity-token-4711"

        [images.registries."other.example.com"]
        registry_token = "registry-token-4711"
        mirrors = ["http://bob:mirror-pass-4711@127.0.0.1:5999"]
        """;
    try (KonaDaemon kona = KonaDaemon.startWithConfig(root, toml)) {
      StatusResponse s = kona.runtime().status(StatusRequest.newBuilder().setVerbose(true).build());
      String answer = s.toString();
      for (String secret : SECRETS) {
        assertFalse(answer.contains(secret), "Status verbose shows \"" + secret + "\":\n" + answer);
        assertFalse(kona.log().contains(secret), "the daemon's log shows \"" + secret + "\"");
      }

      JsonNode registries = new ObjectMapper().readTree(s.getInfoOrThrow("config")).get("images").get("registries");
      JsonNode example = registries.get("registry.example.com");
      assertEquals("alice", example.get("username").asText(), "a user name is not a secret");
      assertEquals("<redacted>", example.get("password").asText());
      assertEquals("<redacted>", example.get("identity_token").asText());
      JsonNode other = registries.get("other.example.com");
      assertEquals("<redacted>", other.get("registry_token").asText());
      assertEquals("http://bob:<redacted>@127.0.0.1:5999", other.get("mirrors").get(0).asText());
    }
  }
}
