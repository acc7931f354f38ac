package dev.kona.image.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

  @TempDir Path root;

  private static final byte[] CONTENT = "layer bytes".getBytes(StandardCharsets.US_ASCII);

  @Test
  void write_verifiedContent_isStoredUnderItsDigest() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    store.write(d, CONTENT);
    assertTrue(store.contains(d.digest()));
    assertArrayEquals(CONTENT, Files.readAllBytes(root.resolve("blobs/sha256/" + d.digest().hex())));
    assertEquals(CONTENT.length, store.usedBytes());
    assertEquals(1, store.blobCount());
  }

  @Test
  void write_existingBlob_isSuccessWithoutReading() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    store.write(d, CONTENT);
    store.write(d, new ByteArrayInputStream(new byte[0]), n -> {});
    assertEquals(1, store.blobCount());
  }

  @Test
  void write_digestMismatch_failsAndKeepsNothing() throws Exception {
    ContentStore store = ContentStore.open(root);
    byte[] other = "other bytes".getBytes(StandardCharsets.US_ASCII);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), other.length);
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class, () -> store.write(d, other));
    assertTrue(e.getMessage().contains("digest mismatch, got " + Digest.sha256(other)), e.getMessage());
    assertFalse(store.contains(d.digest()));
    assertEmpty(root.resolve("ingest"));
  }

  @Test
  void write_truncatedOrOversized_failsWithSizeMismatch() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor longer = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length + 5);
    assertTrue(assertThrows(FailedPreconditionException.class, () -> store.write(longer, CONTENT)).getMessage().contains("truncated"));
    Descriptor shorter = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length - 1);
    assertTrue(assertThrows(FailedPreconditionException.class, () -> store.write(shorter, CONTENT)).getMessage().contains("size mismatch"));
    assertEmpty(root.resolve("ingest"));
    assertEquals(0, store.blobCount());
  }

  @Test
  void open_afterCrash_removesIngestLeftoversAndCountsBlobs() throws Exception {
    ContentStore first = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    first.write(d, CONTENT);
    Files.writeString(root.resolve("ingest/" + d.digest().hex() + ".partial"), "half");
    ContentStore reopened = ContentStore.open(root);
    assertEmpty(root.resolve("ingest"));
    assertEquals(1, reopened.blobCount());
    assertEquals(CONTENT.length, reopened.usedBytes());
  }

  @Test
  void delete_removesBlobAndUpdatesTotals() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    store.write(d, CONTENT);
    store.delete(d.digest());
    store.delete(d.digest());
    assertFalse(store.contains(d.digest()));
    assertEquals(0, store.usedBytes());
  }

  @Test
  void writeStreaming_consumerReadsPart_restIsDrainedAndStored() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    byte[][] seen = new byte[1][];
    assertTrue(store.write(d, new ByteArrayInputStream(CONTENT), n -> {}, in -> seen[0] = in.readNBytes(5)));
    assertArrayEquals("layer".getBytes(StandardCharsets.US_ASCII), seen[0]);
    assertArrayEquals(CONTENT, store.read(d.digest()));
    assertFalse(store.write(d, new ByteArrayInputStream(CONTENT), n -> {}, in -> {
      throw new AssertionError("a stored blob is not read again");
    }));
  }

  @Test
  void writeStreaming_consumerFailsOnCorruptBytes_reportsTheDigestMismatch() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    byte[] corrupt = CONTENT.clone();
    corrupt[3] ^= 1;
    FailedPreconditionException e =
        assertThrows(
            FailedPreconditionException.class,
            () -> store.write(d, new ByteArrayInputStream(corrupt), n -> {}, in -> {
              in.read();
              throw new java.util.zip.ZipException("invalid block type");
            }));
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
    assertFalse(store.contains(d.digest()));
    assertEmpty(root.resolve("ingest"));
  }

  @Test
  void writeStreaming_consumerRefusesIntactBytes_keepsItsOwnErrorAndStoresNothing() throws Exception {
    ContentStore store = ContentStore.open(root);
    Descriptor d = Descriptor.of("x", Digest.sha256(CONTENT), CONTENT.length);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> store.write(d, new ByteArrayInputStream(CONTENT), n -> {}, in -> {
              throw new IllegalStateException("hostile entry");
            }));
    assertEquals("hostile entry", e.getMessage());
    assertFalse(store.contains(d.digest()));
  }

  private static void assertEmpty(Path dir) throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(0, entries.count(), "expected " + dir + " empty");
    }
  }
}
