package dev.kona.runtime.cri;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Stream* list calls (KEP-5825): the same items as the List call, sent in batches of at most
 * {@link #MAX_ITEMS} (containerd's batch) and never more bytes than fit one gRPC message, so no
 * item loses its labels or annotations as a List answer over the limit must. No items, no batch:
 * the stream just ends.
 */
final class StreamedLists {

  static final int MAX_ITEMS = 5000;
  /** Room for the message's own framing, well above what the items' tags and lengths take. */
  private static final int HEADROOM = 64 * 1024;

  private final int maxBatchBytes;

  StreamedLists(int maxMessageBytes) {
    this.maxBatchBytes = Math.max(maxMessageBytes - HEADROOM, maxMessageBytes / 2);
  }

  <T extends MessageLite, R> void send(List<T> items, Function<List<T>, R> batch, StreamObserver<R> response) {
    List<T> current = new ArrayList<>();
    long bytes = 0;
    for (T item : items) {
      int size = CodedOutputStream.computeMessageSizeNoTag(item) + 5; // the field's tag, with margin
      if (!current.isEmpty() && (current.size() == MAX_ITEMS || bytes + size > maxBatchBytes)) {
        response.onNext(batch.apply(current));
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(item);
      bytes += size;
    }
    if (!current.isEmpty()) {
      response.onNext(batch.apply(current));
    }
    response.onCompleted();
  }
}
