package dev.kona.image.manifest;

import dev.kona.common.error.NotFoundException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Platform;
import java.util.stream.Collectors;

/** Picks the manifest for one platform from an index, variant-aware, never by position. */
public final class PlatformSelector {

  private PlatformSelector() {}

  public static Descriptor select(Manifest.Index index, Platform wanted) {
    Descriptor fallback = null;
    for (Descriptor entry : index.manifests()) {
      if (entry.platform().isEmpty() || !wanted.accepts(entry.platform().get())) {
        continue;
      }
      if (entry.platform().get().variant().equals(wanted.variant())) {
        return entry;
      }
      if (fallback == null) {
        fallback = entry;
      }
    }
    if (fallback != null) {
      return fallback;
    }
    String offered =
        index.manifests().stream()
            .map(d -> d.platform().map(Platform::toString).orElse("(no platform)"))
            .collect(Collectors.joining(", "));
    throw new NotFoundException(
        "select manifest: no image for platform " + wanted + " in the index; it offers [" + offered + "]");
  }
}
