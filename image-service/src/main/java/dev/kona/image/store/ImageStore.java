package dev.kona.image.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.error.InternalException;
import dev.kona.image.content.DiskFull;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.fs.AtomicFile;
import dev.kona.image.content.Digest;
import dev.kona.image.ref.ImageReference;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image records, one JSON file per image under {@code <root>/records}, replaced atomically and
 * mirrored in memory (the kubelet lists images every few seconds). A record is written only after all
 * its blobs and snapshots are in place, so a record on disk always names a complete image.
 *
 * <p>A repo tag belongs to one image: recording it on one image takes it off any other. Thread-safe:
 * writers serialise on the store.
 */
public final class ImageStore {

  private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path records;
  private volatile Map<Digest, ImageRecord> byId = Map.of();

  private ImageStore(Path records) {
    this.records = records;
  }

  public static ImageStore open(Path root) throws IOException {
    Path records = root.resolve("records");
    Files.createDirectories(records);
    ImageStore store = new ImageStore(records);
    store.load();
    return store;
  }

  private void load() throws IOException {
    Map<Digest, ImageRecord> loaded = new LinkedHashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(records)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(AtomicFile.TEMP_PREFIX)) {
          Files.deleteIfExists(file);
          continue;
        }
        try {
          ImageRecord record = JSON.readValue(file.toFile(), ImageRecordJson.class).toRecord();
          loaded.put(record.id(), record);
        } catch (IOException | RuntimeException e) {
          LOG.warn("skipping unreadable image record {}: {}", file, e.toString());
        }
      }
    }
    byId = Map.copyOf(loaded);
  }

  public List<ImageRecord> list() {
    List<ImageRecord> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(r -> r.id().hex()));
    return all;
  }

  public Optional<ImageRecord> get(Digest id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Finds an image by id ({@code sha256:<hex>} or bare hex), repo tag or repo digest, normalising
   * names the way pulls do. Unknown or unparsable names give empty.
   */
  public Optional<ImageRecord> resolve(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    if (Digest.looksLikeId(text)) {
      Digest id = Digest.parse(text.startsWith("sha256:") ? text : "sha256:" + text);
      ImageRecord hit = byId.get(id);
      if (hit != null || text.length() == 64) {
        return Optional.ofNullable(hit);
      }
    }
    ImageReference ref;
    try {
      ref = ImageReference.parse(text);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return resolve(ref);
  }

  public Optional<ImageRecord> resolve(ImageReference ref) {
    for (ImageRecord record : byId.values()) {
      if (ref.digest().isPresent()) {
        String wanted = ref.repoDigest(ref.digest().get());
        if (record.repoDigests().contains(wanted)) {
          return Optional.of(record);
        }
      } else if (ref.repoTag().isPresent() && record.repoTags().contains(ref.repoTag().get())) {
        return Optional.of(record);
      }
    }
    return Optional.empty();
  }

  /**
   * Records {@code image}, merging names into an existing record of the same id and moving its repo
   * tags off any other image. Returns the record as stored.
   */
  public synchronized ImageRecord put(ImageRecord image) {
    Map<Digest, ImageRecord> next = new LinkedHashMap<>(byId);
    for (ImageRecord other : byId.values()) {
      if (other.id().equals(image.id())) {
        continue;
      }
      List<String> tags = new ArrayList<>(other.repoTags());
      if (tags.removeAll(image.repoTags())) {
        ImageRecord untagged = other.withNames(tags, other.repoDigests());
        persist(untagged);
        next.put(untagged.id(), untagged);
      }
    }
    ImageRecord existing = byId.get(image.id());
    ImageRecord merged = image;
    if (existing != null) {
      merged =
          image
              .withNames(union(existing.repoTags(), image.repoTags()), union(existing.repoDigests(), image.repoDigests()))
              .withPinned(existing.pinned() || image.pinned());
    }
    persist(merged);
    next.put(merged.id(), merged);
    byId = Map.copyOf(next);
    return merged;
  }

  /** Replaces an image's names (untag); the image stays even with no names. */
  public synchronized ImageRecord rename(Digest id, List<String> tags, List<String> digests) {
    ImageRecord current = byId.get(id);
    if (current == null) {
      throw new NotFoundException("rename image " + id + ": not in the store");
    }
    ImageRecord renamed = current.withNames(tags, digests);
    persist(renamed);
    Map<Digest, ImageRecord> next = new LinkedHashMap<>(byId);
    next.put(id, renamed);
    byId = Map.copyOf(next);
    return renamed;
  }

  /** Forgets an image; a missing one counts as removed. */
  public synchronized void remove(Digest id) {
    if (!byId.containsKey(id)) {
      return;
    }
    try {
      Files.deleteIfExists(file(id));
      AtomicFile.fsyncDirectory(records);
    } catch (IOException e) {
      throw new InternalException("remove image record " + id + ": " + e.getMessage(), e);
    }
    Map<Digest, ImageRecord> next = new LinkedHashMap<>(byId);
    next.remove(id);
    byId = Map.copyOf(next);
  }

  private void persist(ImageRecord record) {
    try {
      AtomicFile.write(file(record.id()), JSON.writeValueAsBytes(ImageRecordJson.of(record)));
    } catch (IOException e) {
      if (DiskFull.is(e)) {
        throw DiskFull.error("write image record " + record.id(), records, e);
      }
      throw new InternalException("write image record " + record.id() + ": " + e.getMessage(), e);
    }
  }

  private Path file(Digest id) {
    return records.resolve(id.hex() + ".json");
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
