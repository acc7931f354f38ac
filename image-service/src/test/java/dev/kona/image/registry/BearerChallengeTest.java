package dev.kona.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BearerChallengeTest {

  @Test
  void parse_bearerWithQuotedParams() {
    BearerChallenge c =
        BearerChallenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"")
            .orElseThrow();
    assertTrue(c.isBearer());
    assertEquals("https://auth.example/token", c.realm());
    assertEquals("registry.example", c.params().get("service"));
    assertEquals("repository:a/b:pull,push", c.params().get("scope"));
  }

  @Test
  void parse_basicRealm() {
    BearerChallenge c = BearerChallenge.parse("Basic realm=\"kona-test\"").orElseThrow();
    assertTrue(c.isBasic());
    assertEquals("kona-test", c.realm());
  }

  @Test
  void parse_empty_isAbsent() {
    assertTrue(BearerChallenge.parse("").isEmpty());
    assertTrue(BearerChallenge.parse(null).isEmpty());
  }
}
