package dev.kona.cni.config;

import dev.kona.common.error.KonaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The network configuration in effect, read from the config directory: the first valid {@code
 * .conflist}, {@code .conf} or {@code .json} file in lexical order, or the one whose name is {@code
 * network_name}. The directory is re-listed on every call (one readdir and a stat per file) and
 * re-parsed only when a name, size or mtime changed, so edits take effect without a restart.
 * Thread-safe.
 */
public final class NetworkConfigSource {

  private static final List<String> EXTENSIONS = List.of(".conflist", ".conf", ".json");

  private final Path confDir;
  private final String networkName;
  private List<String> fingerprint;
  private NetworkSelection current;

  public NetworkConfigSource(Path confDir, String networkName) {
    this.confDir = confDir;
    this.networkName = networkName;
  }

  /** What to use now: a network, or why there is none. */
  public synchronized NetworkSelection current() {
    List<Path> files;
    List<String> seen = new ArrayList<>();
    try {
      files = listConfigFiles(confDir);
      for (Path file : files) {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        seen.add(file.getFileName() + ":" + attrs.size() + ":" + attrs.lastModifiedTime().toMillis());
      }
    } catch (NoSuchFileException e) {
      return remember(seen, new NetworkSelection.Missing("no network config: " + confDir + " does not exist"));
    } catch (IOException e) {
      return remember(seen, new NetworkSelection.Missing("read network config dir " + confDir + ": " + e));
    }
    if (seen.equals(fingerprint)) {
      return current;
    }
    return remember(seen, select(files));
  }

  private NetworkSelection remember(List<String> seen, NetworkSelection selection) {
    fingerprint = seen;
    current = selection;
    return selection;
  }

  private NetworkSelection select(List<Path> files) {
    if (files.isEmpty()) {
      return new NetworkSelection.Missing(
          "no network config found in " + confDir + " (expected *.conflist, *.conf or *.json)");
    }
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      NetworkConfigList list;
      try {
        list = ConfListParser.parse(file, Files.readString(file, StandardCharsets.UTF_8));
      } catch (KonaException e) {
        problems.add(e.getMessage());
        continue;
      } catch (IOException e) {
        problems.add("read " + file + ": " + e);
        continue;
      }
      if (networkName == null || networkName.equals(list.name())) {
        return new NetworkSelection.Found(list);
      }
    }
    String wanted =
        networkName == null ? "no valid network config" : "no valid config for network " + networkName;
    return new NetworkSelection.Missing(
        wanted + " in " + confDir + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
  }

  /** Config files of the directory in lexical order; sub-directories are skipped. */
  static List<Path> listConfigFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (EXTENSIONS.stream().anyMatch(name::endsWith) && Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
    }
    files.sort(null);
    return files;
  }

  /** True if the directory holds no config file at all (valid or not). */
  public static boolean isEmpty(Path dir) throws IOException {
    return !Files.isDirectory(dir) || listConfigFiles(dir).isEmpty();
  }
}
