package dev.kona.linux.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** libcrypto's digests against the JDK's, over the shapes of input a pull feeds them. */
class Sha256Test {

  @Test
  void thisKindOfMachine_hashesThroughLibcrypto() {
    // scripts/lib.sh installs libssl3 with the runtime packages.
    assertTrue(Sha256.fromLibcrypto(), "libcrypto.so.3 with SHA256_* not found");
    assertEquals("SHA-256", Sha256.newDigest().getAlgorithm());
  }

  @Test
  void knownAnswer_forEmptyAndAbc() {
    MessageDigest d = Sha256.newDigest();
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HexFormat.of().formatHex(d.digest()));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HexFormat.of().formatHex(d.digest("abc".getBytes())), "digest() resets for the next input");
  }

  @Test
  void randomChunks_matchTheJdk() {
    Random random = new Random(42);
    for (int size : new int[] {1, 63, 64, 65, 4096, 256 * 1024 - 1, 256 * 1024 + 17, 3_000_000}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      MessageDigest ours = Sha256.newDigest();
      MessageDigest jdk = Sha256.jdk();
      for (int at = 0; at < size; ) {
        int n = Math.min(size - at, 1 + random.nextInt(700_000));
        ours.update(data, at, n);
        jdk.update(data, at, n);
        at += n;
      }
      assertArrayEquals(jdk.digest(), ours.digest(), "size " + size);
    }
  }

  @Test
  void singleBytesAndSlicesOfALargerArray_matchTheJdk() {
    byte[] data = "a pulled layer, one byte at a time".getBytes();
    MessageDigest ours = Sha256.newDigest();
    MessageDigest jdk = Sha256.jdk();
    for (byte b : data) {
      ours.update(b);
      jdk.update(b);
    }
    ours.update(data, 2, 5);
    jdk.update(data, 2, 5);
    assertArrayEquals(jdk.digest(), ours.digest());
  }
}
