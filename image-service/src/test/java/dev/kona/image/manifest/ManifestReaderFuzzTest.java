package dev.kona.image.manifest;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kona.common.error.KonaException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Platform;
import dev.kona.image.testing.FuzzJson;

/**
 * Jazzer on the manifest and index reader, the first thing a registry's answer meets: any document
 * (and any Content-Type) is a manifest, an index, or an error of the family; never a
 * NullPointerException or another Java error, which the kubelet would see as INTERNAL with a Java
 * text. An index then yields this node's entry or NOT_FOUND. The structured target builds documents
 * in the shape of manifests and indexes with wrong types, nulls and odd values where they hurt; the
 * raw one feeds bytes. The build fuzzes the structured target for 5 s (see the pom).
 */
class ManifestReaderFuzzTest {

  private static final String[] CONTENT_TYPES = {
    "", "application/json", "application/octet-stream", MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST + "; charset=utf-8"
  };

  @FuzzTest(maxDuration = "5s")
  void parse_manifestShapedJson_isAManifestOrAnError(FuzzedDataProvider data) {
    String contentType = data.consumeBoolean() ? data.pickValue(CONTENT_TYPES) : data.consumeString(40);
    check(contentType, FuzzJson.document(data, FuzzJson.MANIFEST), Platform.parse(data.pickValue(new String[] {"linux/amd64", "linux/arm/v7", "linux/arm64/v8"})));
  }

  @FuzzTest
  void parse_anyBytes_isAManifestOrAnError(byte[] body) {
    check("", body, Platform.host());
  }

  private static void check(String contentType, byte[] body, Platform platform) {
    Manifest manifest;
    try {
      manifest = ManifestReader.parse(contentType, body);
    } catch (KonaException refused) {
      return;
    }
    switch (manifest) {
      case Manifest.Image image -> {
        assertNotNull(image.config());
        image.layers().forEach(layer -> assertNotNull(layer.digest()));
      }
      case Manifest.Index index -> {
        try {
          Descriptor chosen = PlatformSelector.select(index, platform);
          assertTrue(platform.accepts(chosen.platform().orElseThrow()), "chose " + chosen + " for " + platform);
        } catch (KonaException none) {
          // NOT_FOUND naming the platforms offered
        }
      }
    }
  }
}
