package dev.kona.runtime.cri;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Bounds on the strings of RunPodSandbox and CreateContainer that Kona keeps on disk and sends
 * back in every listing, checked where the request enters. They follow the Kubernetes API's own
 * limits with room to spare, so nothing the kubelet sends for a pod the API server admitted is
 * refused:
 *
 * <ul>
 *   <li>a label or annotation key is at most a qualified name: a 253-byte DNS prefix, {@code /}, a
 *       63-byte name (317 bytes); the kubelet's own keys ({@code io.kubernetes.container.hash},
 *       {@code kubernetes.io/config.seen}, ...) are far shorter;
 *   <li>all labels of one object, keys plus values, at most 256 KiB. The API server allows a value
 *       of 63 bytes per pod label, so that is over 600 labels at full size; the kubelet adds a
 *       few {@code io.kubernetes.*} labels whose values (pod name up to 253 bytes) are small;
 *   <li>all annotations of one object at most 512 KiB: twice the API server's 256 KiB
 *       ({@code TotalAnnotationSizeLimitB}) for the pod's annotations, which the sandbox carries,
 *       because the kubelet adds its own ({@code kubernetes.io/config.seen}, {@code .source},
 *       {@code .hash}) on top, and a container's annotations hold JSON of its pre-stop handler and
 *       ports that no API limit of annotations covers;
 *   <li>metadata names, namespaces and uids are at most 253 bytes (a DNS subdomain: pod names are
 *       one, namespaces and container names are 63-byte labels, uids are 36-byte UUIDs); the
 *       hostname at most 64 bytes (the kernel's HOST_NAME_MAX; the kubelet cuts it to 63).
 * </ul>
 */
final class RequestLimits {

  static final int MAX_KEY_BYTES = 253 + 1 + 63;
  static final int MAX_LABELS_BYTES = 256 * 1024;
  static final int MAX_ANNOTATIONS_BYTES = 512 * 1024;
  static final int MAX_NAME_BYTES = 253;
  static final int MAX_HOSTNAME_BYTES = 64;
  static final int MAX_PATH_BYTES = 4096;

  private RequestLimits() {}

  /** Labels of a pod or container; {@code field} is how the request names them, e.g. config.labels. */
  static void labels(String field, Map<String, String> labels) {
    entries(field, labels, MAX_LABELS_BYTES);
  }

  static void annotations(String field, Map<String, String> annotations) {
    entries(field, annotations, MAX_ANNOTATIONS_BYTES);
  }

  /** A name-like string: metadata name, namespace, uid. */
  static void name(String field, String value) {
    length(field, value, MAX_NAME_BYTES);
  }

  static void hostname(String field, String value) {
    length(field, value, MAX_HOSTNAME_BYTES);
  }

  static void path(String field, String value) {
    length(field, value, MAX_PATH_BYTES);
  }

  private static void length(String field, String value, int max) {
    int bytes = utf8(value);
    if (bytes > max) {
      throw new InvalidArgumentException(field + ": at most " + max + " bytes, got " + bytes);
    }
  }

  private static void entries(String field, Map<String, String> entries, int maxTotal) {
    long total = 0;
    String largest = null;
    int largestBytes = -1;
    for (Map.Entry<String, String> e : entries.entrySet()) {
      int key = utf8(e.getKey());
      if (key > MAX_KEY_BYTES) {
        throw new InvalidArgumentException(field + ": key \"" + shortened(e.getKey()) + "\" is " + key
            + " bytes; a key is at most " + MAX_KEY_BYTES + " (a 253-byte prefix, '/', a 63-byte name)");
      }
      int bytes = key + utf8(e.getValue());
      total += bytes;
      if (bytes > largestBytes) {
        largest = e.getKey();
        largestBytes = bytes;
      }
    }
    if (total > maxTotal) {
      throw new InvalidArgumentException(field + ": " + total + " bytes of keys and values, at most " + maxTotal
          + " allowed; the largest is key \"" + shortened(largest) + "\" with " + largestBytes + " bytes");
    }
  }

  private static String shortened(String key) {
    return key.length() <= 80 ? key : key.substring(0, 80) + "...";
  }

  private static int utf8(String s) {
    // Bytes on the wire and on disk; a char count would let multi-byte text pass at up to 3x.
    return s.isEmpty() ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
