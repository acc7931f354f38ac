package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.ResourceExhaustedException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventFanOutTest {

  /** A stream whose readiness the test controls, recording what it was sent. */
  static final class RecordingSink implements EventSink<Integer> {
    final List<Integer> sent = new ArrayList<>();
    boolean ready = true;
    RuntimeException failure;
    Runnable readyHandler;
    Runnable cancelHandler;

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void send(Integer event) {
      if (failure != null) {
        throw new AssertionError("sent after fail");
      }
      sent.add(event);
    }

    @Override
    public void fail(RuntimeException error) {
      failure = error;
    }

    @Override
    public void onReady(Runnable handler) {
      readyHandler = handler;
    }

    @Override
    public void onCancel(Runnable handler) {
      cancelHandler = handler;
    }

    void becomeReady() {
      ready = true;
      readyHandler.run();
    }
  }

  @Test
  void publish_everySubscriberGetsEveryEventInOrder() {
    EventFanOut<Integer> fanOut = new EventFanOut<>(4);
    RecordingSink a = new RecordingSink();
    RecordingSink b = new RecordingSink();
    fanOut.subscribe(a);
    fanOut.subscribe(b);
    IntStream.range(0, 100).forEach(fanOut::publish);
    List<Integer> all = IntStream.range(0, 100).boxed().toList();
    assertEquals(all, a.sent);
    assertEquals(all, b.sent);
    assertEquals(2, fanOut.subscriberCount());
  }

  @Test
  void publish_slowSubscriberIsDroppedOnceItsQueueIsFull_othersUnaffected() {
    EventFanOut<Integer> fanOut = new EventFanOut<>(3);
    RecordingSink fast = new RecordingSink();
    RecordingSink slow = new RecordingSink();
    fanOut.subscribe(fast);
    fanOut.subscribe(slow);
    slow.ready = false; // its transport is full: the client stopped reading

    for (int i = 0; i < 3; i++) {
      fanOut.publish(i);
    }
    assertEquals(List.of(), slow.sent);
    assertNull(slow.failure, "three events fit in its queue");

    fanOut.publish(3);
    assertInstanceOf(ResourceExhaustedException.class, slow.failure);
    assertTrue(slow.failure.getMessage().contains("3 events unread"), slow.failure.getMessage());
    assertEquals(1, fanOut.subscriberCount());
    assertEquals(1, fanOut.droppedCount());

    fanOut.publish(4);
    slow.becomeReady(); // a late ready signal sends nothing to a dropped subscriber
    assertEquals(List.of(), slow.sent);
    assertEquals(List.of(0, 1, 2, 3, 4), fast.sent);
  }

  @Test
  void publish_subscriberThatCatchesUpGetsTheQueuedEvents() {
    EventFanOut<Integer> fanOut = new EventFanOut<>(3);
    RecordingSink sink = new RecordingSink();
    fanOut.subscribe(sink);
    sink.ready = false;
    fanOut.publish(1);
    fanOut.publish(2);
    sink.becomeReady();
    fanOut.publish(3);
    assertEquals(List.of(1, 2, 3), sink.sent);
    assertNull(sink.failure);
  }

  @Test
  void cancel_removesTheSubscriber() {
    EventFanOut<Integer> fanOut = new EventFanOut<>(2);
    RecordingSink sink = new RecordingSink();
    fanOut.subscribe(sink);
    sink.cancelHandler.run();
    assertFalse(fanOut.hasSubscribers());
    fanOut.publish(1);
    assertEquals(List.of(), sink.sent);
  }

  @Test
  void constructor_rejectsZeroCapacity() {
    assertThrows(IllegalArgumentException.class, () -> new EventFanOut<Integer>(0));
  }
}
