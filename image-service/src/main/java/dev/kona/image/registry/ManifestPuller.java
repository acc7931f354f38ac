package dev.kona.image.registry;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.UnavailableException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Digest;
import dev.kona.image.manifest.Manifest;
import dev.kona.image.manifest.ManifestReader;
import dev.kona.image.manifest.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/** GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;: fetches, verifies (by digest) and parses one manifest. */
public final class ManifestPuller {

  /** Manifests are small; a larger answer is refused rather than buffered. */
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  /** A manifest as fetched: its descriptor (digest of the exact bytes), the bytes, and the parse. */
  public record Fetched(Descriptor descriptor, byte[] bytes, Manifest manifest) {}

  private ManifestPuller() {}

  public static Fetched fetch(RegistrySession session, String reference) {
    String what = "get manifest " + reference;
    HttpResponse<InputStream> response =
        session.get(session.endpoint().uri(session.repository(), "manifests", reference), MediaTypes.MANIFEST_ACCEPT, what);
    byte[] bytes;
    try (InputStream body = response.body()) {
      bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
    } catch (IOException e) {
      throw new UnavailableException(
          "registry " + session.endpoint() + " repository " + session.repository() + ": " + what + ": "
              + RegistrySession.describe(e),
          e);
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new FailedPreconditionException(what + ": manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    Digest digest = Digest.sha256(bytes);
    if (reference.startsWith("sha256:") && !Digest.parse(reference).equals(digest)) {
      throw new FailedPreconditionException(
          "registry " + session.endpoint() + " repository " + session.repository() + ": " + what
              + ": digest mismatch, got " + digest);
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    Manifest manifest = ManifestReader.parse(contentType, bytes);
    return new Fetched(Descriptor.of(manifest.mediaType(), digest, bytes.length), bytes, manifest);
  }

  /** Fetches a manifest named by an index entry, checking it against the entry's digest and size. */
  public static Fetched fetch(RegistrySession session, Descriptor expected) {
    Fetched fetched = fetch(session, expected.digest().toString());
    if (fetched.bytes().length != expected.size()) {
      throw new FailedPreconditionException(
          "get manifest " + expected.digest() + ": size mismatch, expected " + expected.size() + " bytes, got "
              + fetched.bytes().length);
    }
    return fetched;
  }
}
