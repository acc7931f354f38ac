package dev.kona.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonStoreTest {

  public record Rec(String id, List<String> env) {}

  @TempDir Path dir;

  @Test
  void put_recordHoldingEnvironment_readableByRootOnly() throws IOException {
    JsonStore<Rec> store = new JsonStore<>(dir, Rec.class);
    store.put("c1", new Rec("c1", List.of("PASSWORD=hunter2")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c1.json"))));
    assertEquals(List.of(new Rec("c1", List.of("PASSWORD=hunter2"))), store.loadAll());
  }

  @Test
  void open_crashLeftoverTemp_removedAndNeverLoaded() throws IOException {
    Files.createDirectories(dir);
    Path leftover = dir.resolve(".tmp-c2.json.dead");
    Files.writeString(leftover, "{\"id\":\"c2\"");
    JsonStore<Rec> store = new JsonStore<>(dir, Rec.class);
    assertFalse(Files.exists(leftover));
    assertEquals(List.of(), store.loadAll());
  }
}
