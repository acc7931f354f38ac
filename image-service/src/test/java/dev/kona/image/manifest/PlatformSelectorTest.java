package dev.kona.image.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.NotFoundException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Digest;
import dev.kona.image.content.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformSelectorTest {

  private static Descriptor entry(char c, String platform) {
    return new Descriptor(
        MediaTypes.OCI_MANIFEST, Digest.parse("sha256:" + String.valueOf(c).repeat(64)), 1,
        Optional.of(Platform.parse(platform)), Map.of(), List.of());
  }

  private static final Manifest.Index INDEX =
      new Manifest.Index(
          MediaTypes.OCI_INDEX,
          List.of(entry('1', "linux/arm/v6"), entry('2', "linux/arm/v7"), entry('3', "linux/arm64/v8"), entry('4', "linux/amd64"), entry('5', "windows/amd64")));

  @Test
  void select_variantAware() {
    assertEquals('2', PlatformSelector.select(INDEX, Platform.parse("linux/arm/v7")).digest().hex().charAt(0));
    assertEquals('3', PlatformSelector.select(INDEX, Platform.parse("linux/arm64/v8")).digest().hex().charAt(0));
    assertEquals('4', PlatformSelector.select(INDEX, Platform.parse("linux/amd64")).digest().hex().charAt(0));
  }

  @Test
  void select_noMatch_listsOffers() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> PlatformSelector.select(INDEX, Platform.parse("linux/s390x")));
    assertTrue(e.getMessage().contains("[linux/arm/v6, linux/arm/v7, linux/arm64/v8, linux/amd64, windows/amd64]"), e.getMessage());
  }
}
