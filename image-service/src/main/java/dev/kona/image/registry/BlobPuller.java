package dev.kona.image.registry;

import dev.kona.image.content.Descriptor;
import java.io.InputStream;

/** GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;: opens a blob's byte stream (redirects to storage followed). */
public final class BlobPuller {

  private BlobPuller() {}

  /** The caller reads and closes the stream, and verifies it (the content store does). */
  public static InputStream open(RegistrySession session, Descriptor blob) {
    return session
        .get(
            session.endpoint().uri(session.repository(), "blobs", blob.digest().toString()),
            null,
            "get blob " + blob.digest())
        .body();
  }
}
