package dev.kona.cni.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.exec.RuntimeArgs;
import dev.kona.common.error.InternalException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ADD results on disk, laid out as libcni lays them out: {@code <dir>/results/<network>-<containerId>-<ifName>}.
 * Entries survive a daemon restart, so DEL after a restart still hands plugins the ADD result and
 * config. Writes are atomic (temp file, fsync, rename); an unreadable entry is treated as absent, as
 * libcni does, and logged.
 */
public final class ResultCache {

  private static final Logger log = LoggerFactory.getLogger(ResultCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path resultsDir;

  public ResultCache(Path cacheDir) {
    this.resultsDir = cacheDir.resolve("results");
  }

  public Path resultsDir() {
    return resultsDir;
  }

  public Path path(String network, String containerId, String ifName) {
    return resultsDir.resolve(network + "-" + containerId + "-" + ifName);
  }

  public void put(CachedAttachment entry) {
    RuntimeArgs args = entry.args();
    Path target = path(entry.networkName(), args.containerId(), args.ifName());
    CachedAttachmentJson json =
        new CachedAttachmentJson(
            CachedAttachmentJson.KIND,
            args.containerId(),
            entry.configJson().getBytes(StandardCharsets.UTF_8),
            args.ifName(),
            entry.networkName(),
            args.netns(),
            args.cniArgs().stream().map(e -> List.of(e.getKey(), e.getValue())).toList(),
            args.capabilityArgs(),
            entry.result());
    try {
      Files.createDirectories(resultsDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      AtomicFile.write(target, JSON.writeValueAsBytes(json), AtomicFile.PRIVATE);
    } catch (IOException e) {
      throw new InternalException("cache CNI result " + target + ": " + e.getMessage(), e);
    }
  }

  public Optional<CachedAttachment> get(String network, String containerId, String ifName) {
    return read(path(network, containerId, ifName));
  }

  /** The entries of one attachment in any network (usually one), found by file name. */
  public List<CachedAttachment> find(String containerId, String ifName) {
    String suffix = "-" + containerId + "-" + ifName;
    return entries(name -> name.endsWith(suffix)).stream()
        .filter(e -> e.args().containerId().equals(containerId) && e.args().ifName().equals(ifName))
        .toList();
  }

  /** Every readable entry, in file-name order. */
  public List<CachedAttachment> list() {
    return entries(name -> true);
  }

  private List<CachedAttachment> entries(java.util.function.Predicate<String> nameFilter) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(resultsDir)) {
      stream.forEach(files::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new InternalException("list CNI result cache " + resultsDir + ": " + e.getMessage(), e);
    }
    files.sort(null);
    List<CachedAttachment> entries = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!name.startsWith(AtomicFile.TEMP_PREFIX) && nameFilter.test(name)) {
        read(file).ifPresent(entries::add);
      }
    }
    return entries;
  }

  public void remove(String network, String containerId, String ifName) {
    Path file = path(network, containerId, ifName);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new InternalException("remove CNI result " + file + ": " + e.getMessage(), e);
    }
  }

  private Optional<CachedAttachment> read(Path file) {
    CachedAttachmentJson json;
    try {
      json = JSON.readValue(file.toFile(), CachedAttachmentJson.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("ignore unreadable CNI cache entry {}: {}", file, e.getMessage());
      return Optional.empty();
    }
    if (!CachedAttachmentJson.KIND.equals(json.kind())
        || json.networkName() == null
        || json.containerId() == null
        || json.ifName() == null) {
      log.warn("ignore CNI cache entry {}: kind {} or ids missing", file, json.kind());
      return Optional.empty();
    }
    try {
      List<Map.Entry<String, String>> cniArgs = new ArrayList<>();
      for (List<String> pair : json.cniArgs() == null ? List.<List<String>>of() : json.cniArgs()) {
        if (pair.size() == 2) {
          cniArgs.add(Map.entry(pair.get(0), pair.get(1)));
        }
      }
      RuntimeArgs args =
          new RuntimeArgs(
              json.containerId(),
              json.netns(),
              json.ifName(),
              cniArgs,
              json.capabilityArgs() instanceof ObjectNode caps ? caps : null);
      String config = json.config() == null ? null : new String(json.config(), StandardCharsets.UTF_8);
      return Optional.of(new CachedAttachment(json.networkName(), args, config, json.result()));
    } catch (RuntimeException e) {
      log.warn("ignore CNI cache entry {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }
}
