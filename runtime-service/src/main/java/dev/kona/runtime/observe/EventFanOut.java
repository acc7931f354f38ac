package dev.kona.runtime.observe;

import dev.kona.common.error.ResourceExhaustedException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers each event to every subscriber without ever waiting for one: a subscriber has a bounded
 * queue in front of its stream, drained while the stream is ready; a subscriber whose queue is
 * full (it stopped reading) is dropped with RESOURCE_EXHAUSTED and may subscribe again.
 */
final class EventFanOut<T> {

  private final int capacity;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();

  EventFanOut(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("event queue capacity: expected at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds a subscriber; it receives the events published from now on. */
  void subscribe(EventSink<T> sink) {
    Subscriber s = new Subscriber(sink);
    subscribers.add(s);
    sink.onCancel(() -> subscribers.remove(s));
    sink.onReady(s::drain);
  }

  void publish(T event) {
    for (Subscriber s : subscribers) {
      if (!s.offer(event)) {
        subscribers.remove(s);
        dropped.incrementAndGet();
        s.drop();
      }
    }
  }

  boolean hasSubscribers() {
    return !subscribers.isEmpty();
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Subscribers dropped so far for not reading. */
  long droppedCount() {
    return dropped.get();
  }

  private final class Subscriber {
    private final EventSink<T> sink;
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private boolean closed;

    Subscriber(EventSink<T> sink) {
      this.sink = sink;
    }

    synchronized boolean offer(T event) {
      if (closed) {
        return true;
      }
      if (queue.size() >= capacity) {
        return false;
      }
      queue.add(event);
      drain();
      return true;
    }

    /** Sends queued events while the transport takes them; the sink's ready handler resumes it. */
    synchronized void drain() {
      while (!closed && !queue.isEmpty() && sink.isReady()) {
        sink.send(queue.poll());
      }
    }

    synchronized void drop() {
      closed = true;
      queue.clear();
      sink.fail(new ResourceExhaustedException(
          "container events: subscriber dropped, it left " + capacity + " events unread"));
    }
  }
}
