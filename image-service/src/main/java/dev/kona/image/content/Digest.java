package dev.kona.image.content;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.crypto.Sha256;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, {@code sha256:<64 hex>} (or sha512). {@link #toString()} writes that form. */
public record Digest(String algorithm, String hex) {

  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    boolean valid =
        switch (algorithm) {
          case "sha256" -> SHA256.matcher(hex).matches();
          case "sha512" -> SHA512.matcher(hex).matches();
          default -> false;
        };
    if (!valid) {
      throw new InvalidArgumentException(
          "parse digest: expected sha256:<64 lowercase hex>, got " + algorithm + ":" + hex);
    }
  }

  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new InvalidArgumentException("parse digest: expected <algorithm>:<hex>, got \"" + text + "\"");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  public static Digest sha256(byte[] content) {
    return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
  }

  public static Digest sha256Of(MessageDigest finished) {
    return new Digest("sha256", HexFormat.of().formatHex(finished.digest()));
  }

  /** SHA-256 through the host's libcrypto where it has one: pulls hash every byte twice. */
  public static MessageDigest newSha256() {
    return Sha256.newDigest();
  }

  /** A digester for this digest's algorithm. */
  public MessageDigest newDigester() {
    if (algorithm.equals("sha256")) {
      return newSha256();
    }
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }

  /** True for a full {@code sha256:<hex>} string or a bare 64-char hex id. */
  public static boolean looksLikeId(String text) {
    String hex = text.startsWith("sha256:") ? text.substring(7) : text;
    return SHA256.matcher(hex).matches();
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
