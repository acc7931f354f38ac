package dev.kona.image.pull;

import dev.kona.image.content.Descriptor;
import dev.kona.image.manifest.Manifest;
import dev.kona.image.registry.ManifestPuller;
import dev.kona.image.registry.RegistrySession;
import java.util.List;
import java.util.Optional;

/**
 * The manifests a pull resolved: the top-level document the reference named (its digest is the repo
 * digest), the index if that was one, and the image manifest for this platform.
 */
record ResolvedImage(
    RegistrySession session,
    ManifestPuller.Fetched top,
    Optional<ManifestPuller.Fetched> index,
    ManifestPuller.Fetched manifest) {

  Manifest.Image image() {
    return (Manifest.Image) manifest.manifest();
  }

  List<Descriptor> layers() {
    return image().layers();
  }
}
