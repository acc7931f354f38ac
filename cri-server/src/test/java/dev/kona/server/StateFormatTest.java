package dev.kona.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state root's format file and the migration chain, on a real directory. */
class StateFormatTest {

  @TempDir Path state;

  @Test
  void open_emptyRoot_isStampedWithoutMigrating() throws Exception {
    List<Integer> ran = new ArrayList<>();
    assertEquals(3, StateFormat.open(state, "1.2.3", 3, chain(ran)));
    assertEquals(List.of(), ran);
    assertEquals("{\"format\":3,\"written_by\":\"1.2.3\"}\n", Files.readString(state.resolve(StateFormat.FILE)));
  }

  @Test
  void open_olderFormat_runsEveryStepInOrder_thenStamps() throws Exception {
    Files.writeString(state.resolve(StateFormat.FILE), "{\"format\":1,\"written_by\":\"0.9\"}\n");
    List<Integer> ran = new ArrayList<>();
    assertEquals(1, StateFormat.open(state, "1.2.3", 3, chain(ran)));
    assertEquals(List.of(1, 2), ran);
    assertTrue(Files.readString(state.resolve(StateFormat.FILE)).startsWith("{\"format\":3,"));
    // Opened again: nothing left to migrate.
    ran.clear();
    assertEquals(3, StateFormat.open(state, "1.2.3", 3, chain(ran)));
    assertEquals(List.of(), ran);
  }

  @Test
  void open_rootWithoutFileButWithState_isFormatZero() throws Exception {
    Files.createDirectory(state.resolve("runtime"));
    List<Integer> ran = new ArrayList<>();
    assertEquals(0, StateFormat.open(state, "1.2.3", 3, chain(ran)));
    assertEquals(List.of(0, 1, 2), ran);
  }

  @Test
  void open_failedStep_leavesTheOldStampSoTheNextStartMigratesAgain() throws Exception {
    Files.writeString(state.resolve(StateFormat.FILE), "{\"format\":1}\n");
    Map<Integer, StateFormat.Migration> failing = Map.of(
        1, root -> {},
        2, root -> { throw new IOException("disk full"); });
    assertThrows(IOException.class, () -> StateFormat.open(state, "1.2.3", 3, failing));
    assertEquals("{\"format\":1}\n", Files.readString(state.resolve(StateFormat.FILE)));
  }

  @Test
  void open_newerFormat_isRefusedAndLeftAlone() throws Exception {
    String newer = "{\"format\":4,\"written_by\":\"2.0.0\"}\n";
    Files.writeString(state.resolve(StateFormat.FILE), newer);
    StateFormat.Refused e = assertThrows(StateFormat.Refused.class, () -> StateFormat.open(state, "1.2.3", 3, Map.of()));
    assertTrue(e.getMessage().startsWith("state root " + state + " has state format 4 (written by Kona 2.0.0); "
        + "this Kona reads formats up to 3"), e.getMessage());
    assertEquals(newer, Files.readString(state.resolve(StateFormat.FILE)));
  }

  @Test
  void open_formatWithoutAStep_isRefused() throws Exception {
    Files.writeString(state.resolve(StateFormat.FILE), "{\"format\":1}\n");
    StateFormat.Refused e = assertThrows(StateFormat.Refused.class, () -> StateFormat.open(state, "1.2.3", 2, Map.of()));
    assertTrue(e.getMessage().contains("no step from format 1"), e.getMessage());
  }

  @Test
  void open_garbageOrNegativeFormat_isRefusedNamingTheFile() throws Exception {
    for (String bad : List.of("", "not json", "{}", "{\"format\":\"1\"}", "{\"format\":-1}", "{\"format\":1.5}", "[1]")) {
      Files.writeString(state.resolve(StateFormat.FILE), bad);
      StateFormat.Refused e = assertThrows(StateFormat.Refused.class, () -> StateFormat.open(state, "1", 1, Map.of()), bad);
      assertTrue(e.getMessage().startsWith(state.resolve(StateFormat.FILE) + ": not a state format file"), e.getMessage());
    }
  }

  private static Map<Integer, StateFormat.Migration> chain(List<Integer> ran) {
    return Map.of(0, root -> ran.add(0), 1, root -> ran.add(1), 2, root -> ran.add(2));
  }
}
