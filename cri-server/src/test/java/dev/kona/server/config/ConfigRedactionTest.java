package dev.kona.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConfigRedactionTest {

  private static JsonNode redact(String json) throws Exception {
    return ConfigRedaction.redact(new ObjectMapper().readTree(json));
  }

  @Test
  void redact_credentialKeys_placeholderKeepsKey() throws Exception {
    JsonNode r = redact("{\"images\":{\"registries\":{\"h\":{\"username\":\"u\",\"password\":\"p\","
        + "\"identity_token\":\"i\",\"registry_token\":\"t\",\"ca_file\":\"/etc/ca.pem\"}}}}");
    JsonNode h = r.get("images").get("registries").get("h");
    assertEquals("u", h.get("username").asText());
    assertEquals("<redacted>", h.get("password").asText());
    assertEquals("<redacted>", h.get("identity_token").asText());
    assertEquals("<redacted>", h.get("registry_token").asText());
    assertEquals("/etc/ca.pem", h.get("ca_file").asText());
  }

  @Test
  void redact_unsetSecretAndNumbersNamedToken_stay() throws Exception {
    JsonNode r = redact("{\"password\":null,\"streaming\":{\"token_ttl_seconds\":60},\"auths\":{\"x\":{\"auth\":\"b64\"}}}");
    assertEquals(true, r.get("password").isNull());
    assertEquals(60, r.get("streaming").get("token_ttl_seconds").asInt());
    assertEquals("<redacted>", r.get("auths").asText());
  }

  @Test
  void redact_urlPassword_inArrays() throws Exception {
    JsonNode r = redact("{\"mirrors\":[\"http://bob:pw@127.0.0.1:5000\",\"https://plain.example\",\"https://tok@h\"]}");
    assertEquals("http://bob:<redacted>@127.0.0.1:5000", r.get("mirrors").get(0).asText());
    assertEquals("https://plain.example", r.get("mirrors").get(1).asText());
    assertEquals("https://tok@h", r.get("mirrors").get(2).asText());
  }
}
