package dev.kona.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The format version of the state root, in {@code <state_root>/kona-state.json}:
 * {@code {"format":1,"written_by":"<Kona version>"}}. The daemon opens it at start-up, under the
 * instance lock and before any module reads a record:
 *
 * <ul>
 *   <li>a new (empty) state root is stamped with {@link #CURRENT};
 *   <li>an older format is migrated step by step ({@link #MIGRATIONS}: {@code n} upgrades format n to
 *       n + 1) and stamped only once every step is done, so a crash mid-way migrates again;
 *   <li>a newer format, or a file that does not read, is refused with {@link Refused}: the daemon
 *       exits with code 2 and touches nothing. An older Kona must not misread a newer state: a
 *       record it cannot read would have its containers killed by recovery.
 * </ul>
 *
 * <p>Format 0 is the state of a Kona from before this file: the layout of format 1 without it.
 * A change to the layout or to a record that an older Kona would misread raises {@link #CURRENT}
 * and adds its migration.
 */
final class StateFormat {

  private static final Logger LOG = LoggerFactory.getLogger(StateFormat.class);

  static final String FILE = "kona-state.json";
  static final int CURRENT = 1;

  /** One step: upgrades a state root in place from its format to the next. */
  @FunctionalInterface
  interface Migration {
    void apply(Path stateRoot) throws IOException;
  }

  /** By the format each step upgrades from. */
  static final Map<Integer, Migration> MIGRATIONS = Map.of(
      0, stateRoot -> {}); // format 0 is format 1 without the file: stamping it is the whole step

  /** A state root this Kona must not open; the message says why and what to do. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private StateFormat() {}

  /** Opens {@code stateRoot} for this build: see the class comment. Returns the format it had. */
  static int open(Path stateRoot, String version) throws IOException, Refused {
    return open(stateRoot, version, CURRENT, MIGRATIONS);
  }

  static int open(Path stateRoot, String version, int current, Map<Integer, Migration> migrations)
      throws IOException, Refused {
    Path file = stateRoot.resolve(FILE);
    int found;
    if (Files.exists(file)) {
      found = read(file, current);
    } else if (isEmpty(stateRoot)) {
      stamp(file, current, version);
      LOG.debug("state root {}: new, format {}", stateRoot, current);
      return current;
    } else {
      found = 0;
    }
    if (found == current) {
      return found;
    }
    for (int from = found; from < current; from++) {
      Migration step = migrations.get(from);
      if (step == null) {
        throw new Refused("state root " + stateRoot + " has state format " + found + ", which this Kona cannot migrate"
            + " (no step from format " + from + ")");
      }
      step.apply(stateRoot);
    }
    stamp(file, current, version);
    LOG.info("state root {}: format {}{} read as format {}", stateRoot, found, found == 0 ? " (no " + FILE + ")" : "",
        current);
    return found;
  }

  private static int read(Path file, int current) throws IOException, Refused {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      node = null;
    }
    JsonNode format = node == null ? null : node.get("format");
    if (format == null || !format.canConvertToInt() || !format.isIntegralNumber() || format.intValue() < 0) {
      throw new Refused(file + ": not a state format file; expected {\"format\": <n>, \"written_by\": \"<version>\"}"
          + " with n up to " + current + ". Restore it, or give Kona another state_root");
    }
    int found = format.intValue();
    if (found > current) {
      JsonNode by = node.get("written_by");
      throw new Refused("state root " + file.getParent() + " has state format " + found + " (written by Kona "
          + (by == null ? "unknown" : by.asText()) + "); this Kona reads formats up to " + current + " (Kona "
          + BuildInfo.version() + "). Run a Kona at least as new as the one that wrote it, or start this one with"
          + " another state_root; nothing under the state root was changed");
    }
    return found;
  }

  private static boolean isEmpty(Path stateRoot) throws IOException {
    try (Stream<Path> entries = Files.list(stateRoot)) {
      return entries.allMatch(AtomicFile::isTemp);
    }
  }

  private static void stamp(Path file, int format, String version) throws IOException {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("format", format);
    content.put("written_by", version);
    AtomicFile.write(file, (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
