package dev.kona.image.unpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extended attributes of a tar entry from its PAX headers: {@code SCHILY.xattr.NAME} (raw bytes, as
 * Go's archive/tar and GNU tar write them) and {@code LIBARCHIVE.xattr.NAME} (base64). SCHILY values
 * are taken from the raw header bytes, since they are binary (security.capability) and the decoded
 * strings are not.
 */
final class PaxXattrs {

  private static final byte[] SCHILY = " SCHILY.xattr.".getBytes(StandardCharsets.US_ASCII);
  private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  private PaxXattrs() {}

  static Map<String, byte[]> of(TarArchiveEntry entry, byte[] rawHeaders) {
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
      String key = header.getKey();
      if (key.startsWith("SCHILY.xattr.")) {
        xattrs.put(key.substring("SCHILY.xattr.".length()), header.getValue().getBytes(StandardCharsets.UTF_8));
      } else if (key.startsWith(LIBARCHIVE)) {
        String name = java.net.URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8);
        xattrs.put(name, Base64.getDecoder().decode(header.getValue()));
      }
    }
    if (!xattrs.isEmpty()) {
      xattrs.putAll(rawSchily(rawHeaders));
    }
    return xattrs;
  }

  /** Scans raw PAX records {@code "<len> SCHILY.xattr.<name>=<value>\n"}; later records win. */
  static Map<String, byte[]> rawSchily(byte[] raw) {
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (int i = indexOf(raw, SCHILY, 0); i >= 0; i = indexOf(raw, SCHILY, i + 1)) {
      int start = i;
      while (start > 0 && raw[start - 1] >= '0' && raw[start - 1] <= '9') {
        start--;
      }
      if (start == i || i - start > 9) {
        continue;
      }
      int length = Integer.parseInt(new String(raw, start, i - start, StandardCharsets.US_ASCII));
      int end = start + length; // exclusive, the record's last byte is '\n'
      if (end > raw.length || raw[end - 1] != '\n') {
        continue;
      }
      int nameStart = i + SCHILY.length;
      int equals = -1;
      for (int j = nameStart; j < end; j++) {
        if (raw[j] == '=') {
          equals = j;
          break;
        }
      }
      if (equals < 0) {
        continue;
      }
      String name = new String(raw, nameStart, equals - nameStart, StandardCharsets.UTF_8);
      found.put(name, Arrays.copyOfRange(raw, equals + 1, end - 1));
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
