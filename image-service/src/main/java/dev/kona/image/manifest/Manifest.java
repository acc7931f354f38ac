package dev.kona.image.manifest;

import dev.kona.image.content.Descriptor;
import java.util.List;
import java.util.Map;

/** A parsed manifest: either an index of per-platform manifests or one image manifest. */
public sealed interface Manifest {

  String mediaType();

  /** An OCI image index or a Docker manifest list. */
  record Index(String mediaType, List<Descriptor> manifests) implements Manifest {
    public Index {
      manifests = List.copyOf(manifests);
    }
  }

  /** An OCI image manifest or a Docker schema 2 manifest. */
  record Image(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations)
      implements Manifest {
    public Image {
      layers = List.copyOf(layers);
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
  }
}
