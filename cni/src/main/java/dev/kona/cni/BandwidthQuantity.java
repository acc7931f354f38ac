package dev.kona.cni;

import dev.kona.common.error.InvalidArgumentException;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the Kubernetes quantity in the bandwidth annotations ("10M", "1Gi") into bits per second. */
final class BandwidthQuantity {

  private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([kMGTPE]i?|m)?");

  private BandwidthQuantity() {}

  static long bitsPerSecond(String annotation, String text) {
    Matcher m = QUANTITY.matcher(text.strip());
    if (!m.matches()) {
      throw new InvalidArgumentException(
          "annotation " + annotation + " must be a quantity like 10M, got \"" + text + "\"");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String suffix = m.group(2) == null ? "" : m.group(2);
    BigDecimal scaled =
        switch (suffix) {
          case "" -> value;
          case "m" -> value.movePointLeft(3);
          default -> {
            boolean binary = suffix.endsWith("i");
            int power = "kMGTPE".indexOf(suffix.charAt(0)) + 1;
            yield value.multiply(BigDecimal.valueOf(binary ? 1024 : 1000).pow(power));
          }
        };
    if (scaled.signum() <= 0 || scaled.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new InvalidArgumentException(
          "annotation " + annotation + " must be a positive rate, got \"" + text + "\"");
    }
    return scaled.longValue();
  }
}
