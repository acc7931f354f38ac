package dev.kona.image.testing;

import dev.kona.image.content.Digest;

/** Bytes with their media type and digest, ready to push. */
public record Blob(String mediaType, byte[] bytes, Digest digest) {

  public static Blob of(String mediaType, byte[] bytes) {
    return new Blob(mediaType, bytes, Digest.sha256(bytes));
  }

  public long size() {
    return bytes.length;
  }

  /** The JSON descriptor of this blob, as manifests list it. */
  public String descriptorJson() {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + bytes.length + "}";
  }
}
