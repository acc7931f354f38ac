package dev.kona.image.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kona.common.error.InvalidArgumentException;

/**
 * Jazzer on the image reference parser: any string either parses or is INVALID_ARGUMENT (no other
 * exception), and a parsed reference reads back as itself. The normal build runs the seeds and a
 * five-second fuzzing run (see the pom); {@code JAZZER_FUZZ=1 ./mvnw ... -Dtest=ImageReferenceFuzzTest
 * -Djazzer.max_duration=1h} runs longer by hand.
 */
class ImageReferenceFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void parse_anyText_isAReferenceOrInvalidArgument(String text) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(text);
    } catch (InvalidArgumentException expected) {
      return;
    }
    assertEquals(ref, ImageReference.parse(ref.toString()), "reads back as itself: " + ref);
  }
}
