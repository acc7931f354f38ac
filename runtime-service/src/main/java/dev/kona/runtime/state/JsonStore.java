package dev.kona.runtime.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.error.InternalException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of one kind, one JSON file per id under a directory, readable by root only. A write is
 * an {@link AtomicFile#write}, so a crash leaves either the old record or the new one, never half
 * of either. Temp files a crash left behind are removed when the store opens.
 */
public final class JsonStore<T> {

  private static final Logger LOG = LoggerFactory.getLogger(JsonStore.class);
  private static final String SUFFIX = ".json";

  private final Path dir;
  private final Class<T> type;
  private final ObjectMapper mapper =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public JsonStore(Path dir, Class<T> type) {
    this.dir = dir;
    this.type = type;
    try {
      Files.createDirectories(dir);
      AtomicFile.removeTemps(dir);
    } catch (IOException e) {
      throw new InternalException("open record store " + dir + ": " + e.getMessage(), e);
    }
  }

  public void put(String id, T record) {
    Path target = dir.resolve(id + SUFFIX);
    try {
      AtomicFile.write(target, mapper.writeValueAsBytes(record), AtomicFile.PRIVATE);
    } catch (IOException e) {
      throw new InternalException("write record " + target + ": " + e.getMessage(), e);
    }
  }

  public void delete(String id) {
    try {
      if (Files.deleteIfExists(dir.resolve(id + SUFFIX))) {
        fsyncDirectory();
      }
    } catch (IOException e) {
      throw new InternalException("delete record " + id + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Makes a rename or delete in the directory durable. */
  private void fsyncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Every readable record; an unreadable file is logged and skipped, never fatal to start-up. */
  public List<T> loadAll() {
    List<T> records = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        try {
          records.add(mapper.readValue(f.toFile(), type));
        } catch (IOException e) {
          LOG.error("skipping unreadable record {}: {}", f, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new InternalException("list records in " + dir + ": " + e.getMessage(), e);
    }
    return records;
  }
}
