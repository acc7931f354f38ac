package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class BandwidthQuantityTest {

  @Test
  void bitsPerSecond_suffixes() {
    assertEquals(10_000_000L, BandwidthQuantity.bitsPerSecond("a", "10M"));
    assertEquals(1L << 30, BandwidthQuantity.bitsPerSecond("a", "1Gi"));
    assertEquals(1500L, BandwidthQuantity.bitsPerSecond("a", "1.5k"));
    assertEquals(42L, BandwidthQuantity.bitsPerSecond("a", "42"));
  }

  @Test
  void bitsPerSecond_garbage_namesAnnotation() {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () -> BandwidthQuantity.bitsPerSecond("kubernetes.io/ingress-bandwidth", "fast"));
    assertTrue(e.getMessage().contains("kubernetes.io/ingress-bandwidth"), e.getMessage());
  }
}
