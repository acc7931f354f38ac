package dev.kona.common.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerBudgetTest {

  /** An item of a listing: its kubelet part and its user part, in bytes. */
  record Item(String id, long kubelet, long user) {
    long size() {
      return kubelet + user;
    }

    Item trimmed() {
      return new Item(id, kubelet, 0);
    }
  }

  private static final int MAX = 1024 * 1024;

  private static List<Item> fit(AnswerBudget b, List<Item> items) {
    return b.fit("ListThings", items, Item::size, Item::trimmed, Item::id);
  }

  private static long total(List<Item> items) {
    return items.stream().mapToLong(Item::size).sum();
  }

  @Test
  void fit_underBudget_sameListUntouched() {
    AnswerBudget b = new AnswerBudget(MAX);
    List<Item> items = List.of(new Item("a", 100, 1000), new Item("b", 100, 2000));
    assertSame(items, fit(b, items));
  }

  @Test
  void fit_overBudget_trimsLargestFirstOnlyAsFarAsNeeded_keepsOrder() {
    AnswerBudget b = new AnswerBudget(MAX);
    List<Item> items = List.of(new Item("small", 100, 10_000), new Item("huge", 100, 900_000),
        new Item("big", 100, 500_000));
    List<Item> out = fit(b, items);
    assertEquals(List.of("small", "huge", "big"), out.stream().map(Item::id).toList());
    assertEquals(0, out.get(1).user(), "the largest is trimmed");
    assertEquals(500_000, out.get(2).user(), "trimming the largest was enough; big keeps everything");
    assertEquals(10_000, out.get(0).user());
    assertTrue(total(out) <= b.budget());
  }

  @Test
  void fit_kubeletPartsAloneTooLarge_dropsLargestUntilItFits() {
    AnswerBudget b = new AnswerBudget(MAX);
    List<Item> items = List.of(new Item("a", 600_000, 1), new Item("b", 700_000, 1), new Item("c", 10, 1));
    List<Item> out = fit(b, items);
    assertEquals(List.of("a", "c"), out.stream().map(Item::id).toList());
    assertTrue(total(out) <= b.budget());
  }

  @Test
  void kubeletEntries_keepsOnlyIoKubernetesKeys() {
    assertEquals(Map.of("io.kubernetes.pod.uid", "u"),
        AnswerBudget.kubeletEntries(Map.of("io.kubernetes.pod.uid", "u", "app", "x", "kubernetes.io/note", "y")));
  }
}
