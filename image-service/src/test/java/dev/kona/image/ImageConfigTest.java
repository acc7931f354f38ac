package dev.kona.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

  // bound as the daemon's loader binds it: snake_case, strict about missing creator properties
  private final ObjectMapper mapper =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  @Test
  void fromToml_emptyTable_givesDefaults() throws Exception {
    assertEquals(ImageConfig.defaults(), mapper.readValue("{}", ImageConfig.class));
  }

  @Test
  void fromToml_mirrorOnlyRegistry_bindsSnakeCaseKeys() throws Exception {
    ImageConfig config =
        mapper.readValue(
            """
            {"max_concurrent_downloads": 5, "progress_timeout_seconds": 7, "pinned_images": ["registry.k8s.io/pause:3.9"],
             "registries": {"registry.k8s.io": {"mirrors": ["http://127.0.0.1:5000"], "fallback_to_registry": false},
                            "127.0.0.1:5001": {"insecure": true, "username": "u", "password": "p"}}}
            """,
            ImageConfig.class);
    assertEquals(5, config.maxConcurrentDownloads());
    assertEquals(7, config.progressTimeoutSeconds());
    assertEquals(List.of("registry.k8s.io/pause:3.9"), config.pinnedImages());
    ImageConfig.RegistryConfig k8s = config.registries().get("registry.k8s.io");
    assertEquals(List.of("http://127.0.0.1:5000"), k8s.mirrors());
    assertFalse(k8s.fallbackToRegistry());
    ImageConfig.RegistryConfig local = config.registries().get("127.0.0.1:5001");
    assertTrue(local.insecure());
    assertTrue(local.fallbackToRegistry());
    assertEquals("u", local.username());
  }

  @Test
  void fromToml_unknownKeyOrBadValue_namesTheKey() {
    ValueInstantiationException unknown =
        assertThrows(ValueInstantiationException.class, () -> mapper.readValue("{\"max_downloads\": 1}", ImageConfig.class));
    assertTrue(unknown.getCause().getMessage().startsWith("max_downloads: unknown key"), unknown.getCause().getMessage());
    ValueInstantiationException zero =
        assertThrows(ValueInstantiationException.class, () -> mapper.readValue("{\"max_concurrent_downloads\": 0}", ImageConfig.class));
    assertTrue(zero.getCause().getMessage().startsWith("max_concurrent_downloads: must be at least 1"));
  }

  @Test
  void fromToml_flagText_isParsed() throws Exception {
    assertEquals(9, mapper.readValue("{\"progress_timeout_seconds\": \"9\"}", ImageConfig.class).progressTimeoutSeconds());
  }
}
