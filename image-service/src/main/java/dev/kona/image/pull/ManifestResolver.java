package dev.kona.image.pull;

import dev.kona.common.error.KonaException;
import dev.kona.common.error.NotFoundException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Platform;
import dev.kona.image.manifest.Manifest;
import dev.kona.image.manifest.PlatformSelector;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.ManifestPuller;
import dev.kona.image.registry.RegistryEndpoint;
import dev.kona.image.registry.RegistrySession;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pull step 1: finds the reference's manifest on the first endpoint that has it (mirrors in order,
 * then the registry) and, for an index, the entry for this platform.
 */
final class ManifestResolver {

  private ManifestResolver() {}

  static ResolvedImage resolve(
      HttpClient http, List<RegistryEndpoint> endpoints, ImageReference ref, Platform platform, PullProgress progress) {
    List<KonaException> failures = new ArrayList<>();
    for (RegistryEndpoint endpoint : endpoints) {
      RegistrySession session = new RegistrySession(http, endpoint, ref.repository());
      ManifestPuller.Fetched top;
      try {
        top = ManifestPuller.fetch(session, ref.manifestReference());
      } catch (KonaException e) {
        progress.throwIfStalled();
        failures.add(e);
        continue;
      }
      progress.touch();
      if (top.manifest() instanceof Manifest.Index index) {
        Descriptor chosen = PlatformSelector.select(index, platform);
        ManifestPuller.Fetched manifest = ManifestPuller.fetch(session, chosen);
        if (!(manifest.manifest() instanceof Manifest.Image)) {
          throw new NotFoundException(
              "resolve " + ref + ": index entry " + chosen.digest() + " for " + platform + " is not an image manifest");
        }
        return new ResolvedImage(session, top, Optional.of(top), manifest);
      }
      return new ResolvedImage(session, top, Optional.empty(), top);
    }
    throw bestFailure(failures);
  }

  /** The error of the last endpoint (the registry itself when it was tried), others as suppressed. */
  private static KonaException bestFailure(List<KonaException> failures) {
    KonaException last = failures.getLast();
    for (KonaException other : failures.subList(0, failures.size() - 1)) {
      last.addSuppressed(other);
    }
    if (failures.size() == 1) {
      return last;
    }
    StringBuilder tried = new StringBuilder();
    for (KonaException other : failures.subList(0, failures.size() - 1)) {
      tried.append("; earlier: ").append(other.getMessage());
    }
    return KonaException.of(last.kind(), last.getMessage() + tried, last);
  }
}
