package dev.kona.common.limits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a List answer (ListContainers, ListPodSandbox, the stats lists, ListImages) under the gRPC
 * message size the CRI server and the kubelet accept, so that one object with huge labels or
 * annotations cannot make the kubelet's every-second relist fail with RESOURCE_EXHAUSTED for every
 * pod of the node.
 *
 * <p>Per-object caps alone cannot promise that: at the caps of RunPodSandbox and CreateContainer
 * (256 KiB of labels plus 512 KiB of annotations) 16 MiB holds only 21 objects, and a node of 110
 * pods whose annotations sit at the API server's own 256 KiB limit (a large
 * {@code kubectl.kubernetes.io/last-applied-configuration} is enough) lists 27.5 MiB. So when the
 * items do not fit, the largest are trimmed first, to what the kubelet reads from a listing (the
 * {@code io.kubernetes.*} labels and annotations naming pod, container and spec hash); the full
 * set stays in the item's own Status answer. What the kubelet puts there is about 1-2 KiB per
 * object, so after trimming 16 MiB holds several thousand objects, far above the kubelet's 110
 * pods per node. Only items whose own {@code io.kubernetes.*} keys are still too large are then
 * left out, largest first. Either way a warning is logged, at most once a minute per answer.
 */
public final class AnswerBudget {

  private static final Logger LOG = LoggerFactory.getLogger(AnswerBudget.class);

  /** Room left in the message for the response's other fields and the items' tags and lengths. */
  private static final int HEADROOM_BYTES = 64 * 1024;
  private static final long WARN_EVERY_NANOS = 60_000_000_000L;

  /** The prefix of the labels and annotations the kubelet sets and reads back from listings. */
  public static final String KUBELET_PREFIX = "io.kubernetes.";

  private final long budget;
  private final ConcurrentMap<String, Long> lastWarned = new ConcurrentHashMap<>();

  /** {@code maxMessageBytes}: the largest message the CRI server sends and its clients accept. */
  public AnswerBudget(int maxMessageBytes) {
    if (maxMessageBytes <= 2 * HEADROOM_BYTES) {
      throw new IllegalArgumentException("max message size of " + maxMessageBytes + " bytes is too small");
    }
    this.budget = maxMessageBytes - HEADROOM_BYTES;
  }

  public long budget() {
    return budget;
  }

  /**
   * {@code items}, or when their sizes add up to more than the budget, the largest trimmed (and
   * if that is not enough, the largest left out) until they fit, in their original order.
   *
   * @param answer the RPC, for the warning
   * @param size an item's size on the wire
   * @param trim the item with only what the kubelet needs from a listing
   * @param id an item's id, for the warning
   */
  public <T> List<T> fit(String answer, List<T> items, ToLongFunction<T> size, UnaryOperator<T> trim,
      Function<T, String> id) {
    long total = 0;
    long[] sizes = new long[items.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = size.applyAsLong(items.get(i));
      total += sizes[i];
    }
    if (total <= budget) {
      return items;
    }
    long before = total;
    List<T> out = new ArrayList<>(items);
    List<String> trimmed = new ArrayList<>();
    for (int i : largestFirst(sizes)) {
      if (total <= budget) {
        break;
      }
      T t = trim.apply(out.get(i));
      long s = size.applyAsLong(t);
      total += s - sizes[i];
      sizes[i] = s;
      out.set(i, t);
      trimmed.add(id.apply(t));
    }
    List<String> dropped = new ArrayList<>();
    for (int i : largestFirst(sizes)) {
      if (total <= budget) {
        break;
      }
      total -= sizes[i];
      dropped.add(id.apply(out.get(i)));
      out.set(i, null);
    }
    out.removeIf(Objects::isNull);
    warn(answer, before, trimmed, dropped);
    return out;
  }

  /** Only the kubelet's own entries of a label or annotation map. */
  public static Map<String, String> kubeletEntries(Map<String, String> entries) {
    Map<String, String> kept = new LinkedHashMap<>();
    entries.forEach((k, v) -> {
      if (k.startsWith(KUBELET_PREFIX)) {
        kept.put(k, v);
      }
    });
    return kept;
  }

  private static List<Integer> largestFirst(long[] sizes) {
    List<Integer> order = new ArrayList<>(sizes.length);
    for (int i = 0; i < sizes.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
    return order;
  }

  private void warn(String answer, long before, List<String> trimmed, List<String> dropped) {
    long now = System.nanoTime();
    Long last = lastWarned.get(answer);
    if (last != null && now - last < WARN_EVERY_NANOS) {
      return;
    }
    lastWarned.put(answer, now);
    LOG.warn("{}: {} bytes of items exceed the {} bytes an answer may carry; labels and annotations other than "
        + "io.kubernetes.* left out of {} items (largest first, complete in their status): {}{}",
        answer, before, budget, trimmed.size(), abbreviated(trimmed),
        dropped.isEmpty() ? "" : "; still too large and left out entirely: " + abbreviated(dropped));
  }

  private static String abbreviated(List<String> ids) {
    return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + " and " + (ids.size() - 10) + " more";
  }
}
