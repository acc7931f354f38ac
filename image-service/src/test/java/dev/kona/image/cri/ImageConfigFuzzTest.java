package dev.kona.image.cri;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kona.common.error.KonaException;
import dev.kona.image.content.Digest;
import dev.kona.image.manifest.ImageRunConfig;
import dev.kona.image.manifest.ManifestReader;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.testing.FuzzJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Jazzer on the image configuration, from the registry's bytes to what ListImages and ImageStatus
 * answer: a config is read or refused with an error of the family, and a config that was read gives
 * an image record and a CRI {@code Image} without any exception (such an image would otherwise break
 * every later ListImages of the node). The build fuzzes the structured target for 5 s (see the pom).
 */
class ImageConfigFuzzTest {

  private static final Digest ID = Digest.sha256(new byte[] {1});

  @FuzzTest(maxDuration = "5s")
  void parseConfig_configShapedJson_isAnImageOrAnError(FuzzedDataProvider data) {
    check(FuzzJson.document(data, FuzzJson.IMAGE_CONFIG));
  }

  @FuzzTest
  void parseConfig_anyBytes_isAnImageOrAnError(byte[] body) {
    check(body);
  }

  private static void check(byte[] body) {
    ImageRunConfig config;
    try {
      config = ManifestReader.parseConfig(body);
    } catch (KonaException refused) {
      return;
    }
    ImageRecord record =
        new ImageRecord(ID, ID, List.of("example.test/image:1"), List.of(), 1, config.user(), false, Map.of(), List.of(ID),
            config.diffIds(), Instant.EPOCH);
    CriImages.toCri(record);
  }
}
