package dev.kona.common.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

  @TempDir Path dir;

  @Test
  void write_private_createsFileWithOwnerOnlyMode() throws IOException {
    Path target = dir.resolve("record.json");
    AtomicFile.write(target, bytes("{\"env\":\"SECRET=1\"}"));
    assertEquals("{\"env\":\"SECRET=1\"}", Files.readString(target));
    assertEquals("rw-------", mode(target));
    assertEquals(List.of(target), list());
  }

  @Test
  void write_otherModes_exactlyAsAsked() throws IOException {
    Path exe = dir.resolve("helper");
    AtomicFile.write(exe, bytes("#!/bin/sh\n"), AtomicFile.EXECUTABLE);
    assertEquals("rwxr-xr-x", mode(exe));
    Path conf = dir.resolve("10-net.conflist");
    AtomicFile.write(conf, bytes("{}"), AtomicFile.PUBLIC);
    assertEquals("rw-r--r--", mode(conf));
  }

  @Test
  void write_replacesWhole_newModeWinsOverOld() throws IOException {
    Path target = dir.resolve("config.json");
    Files.writeString(target, "an older, longer content that must not survive");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    AtomicFile.write(target, bytes("new"));
    assertArrayEquals(bytes("new"), Files.readAllBytes(target));
    assertEquals("rw-------", mode(target), "the replacement is a new inode with the new mode");
    assertEquals(List.of(target), list());
  }

  @Test
  void crashLeftover_isIgnoredByWriteAndRemovedBySweep() throws IOException {
    Path target = dir.resolve("record.json");
    AtomicFile.write(target, bytes("v1"));
    // what a kill -9 between create and rename leaves: a half-written temp beside the target
    Path leftover = dir.resolve(AtomicFile.TEMP_PREFIX + "record.json.0f3c");
    Files.writeString(leftover, "v2-half");
    assertTrue(AtomicFile.isTemp(leftover));
    assertFalse(AtomicFile.isTemp(target));

    AtomicFile.write(target, bytes("v3"));
    assertEquals("v3", Files.readString(target));
    assertEquals("v2-half", Files.readString(leftover), "a write never takes over someone else's temp");

    assertEquals(1, AtomicFile.removeTemps(dir));
    assertEquals(List.of(target), list());
    assertEquals(0, AtomicFile.removeTemps(dir.resolve("missing")));
  }

  @Test
  void write_renameFails_leavesTargetAndNoTemp() throws IOException {
    Path target = dir.resolve("busy");
    Files.createDirectory(target);
    Files.writeString(target.resolve("inside"), "x");
    assertThrows(IOException.class, () -> AtomicFile.write(target, bytes("file over a full directory")));
    assertTrue(Files.isDirectory(target));
    assertEquals(List.of(target), list());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private List<Path> list() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
