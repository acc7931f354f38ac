package dev.kona.cni.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigSourceTest {

  @TempDir Path dir;

  private void write(String name, String netName) throws IOException {
    Files.writeString(
        dir.resolve(name),
        "{\"cniVersion\": \"1.0.0\", \"name\": \"" + netName + "\", \"plugins\": [{\"type\": \"bridge\"}]}");
  }

  private static String found(NetworkSelection selection) {
    return assertInstanceOf(NetworkSelection.Found.class, selection).network().name();
  }

  @Test
  void current_firstValidInLexicalOrder() throws IOException {
    Files.writeString(dir.resolve("05-broken.conflist"), "{not json");
    write("20-b.conflist", "b");
    write("10-a.conf", "a");
    Files.writeString(dir.resolve("00-ignored.txt"), "x");
    assertEquals("a", found(new NetworkConfigSource(dir, null).current()));
  }

  @Test
  void current_namedNetwork() throws IOException {
    write("10-a.conflist", "a");
    write("20-b.json", "b");
    assertEquals("b", found(new NetworkConfigSource(dir, "b").current()));
  }

  @Test
  void current_directoryChanged_reloads() throws IOException {
    NetworkConfigSource source = new NetworkConfigSource(dir, null);
    assertInstanceOf(NetworkSelection.Missing.class, source.current());
    write("50-late.conflist", "late");
    assertEquals("late", found(source.current()));
    write("10-early.conflist", "early");
    assertEquals("early", found(source.current()));
    Files.delete(dir.resolve("10-early.conflist"));
    assertEquals("late", found(source.current()));
  }

  @Test
  void current_unchanged_sameInstance() throws IOException {
    write("10-a.conflist", "a");
    NetworkConfigSource source = new NetworkConfigSource(dir, null);
    assertTrue(source.current() == source.current());
  }

  @Test
  void current_onlyMalformed_reasonNamesFileAndProblem() throws IOException {
    Files.writeString(dir.resolve("10-bad.conflist"), "{\"name\": \"x\", \"cniVersion\": \"1.0.0\", \"plugins\": [{}]}");
    var missing = assertInstanceOf(NetworkSelection.Missing.class, new NetworkConfigSource(dir, null).current());
    assertTrue(missing.reason().contains("10-bad.conflist"), missing.reason());
    assertTrue(missing.reason().contains("plugins[0].type"), missing.reason());
  }

  @Test
  void current_noDirectory_reasonNamesIt() {
    Path absent = dir.resolve("absent");
    var missing = assertInstanceOf(NetworkSelection.Missing.class, new NetworkConfigSource(absent, null).current());
    assertTrue(missing.reason().contains(absent.toString()), missing.reason());
  }

  @Test
  void current_namedNetworkAbsent_reasonNamesIt() throws IOException {
    write("10-a.conflist", "a");
    var missing = assertInstanceOf(NetworkSelection.Missing.class, new NetworkConfigSource(dir, "zz").current());
    assertTrue(missing.reason().contains("network zz"), missing.reason());
  }
}
