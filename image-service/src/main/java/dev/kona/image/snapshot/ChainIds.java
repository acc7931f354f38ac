package dev.kona.image.snapshot;

import dev.kona.image.content.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** OCI chain IDs: the first is the first diff ID, each next is sha256(parent + " " + diffId). */
public final class ChainIds {

  private ChainIds() {}

  public static List<Digest> of(List<Digest> diffIds) {
    List<Digest> chain = new ArrayList<>(diffIds.size());
    Digest parent = null;
    for (Digest diffId : diffIds) {
      parent =
          parent == null
              ? diffId
              : Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.US_ASCII));
      chain.add(parent);
    }
    return chain;
  }
}
