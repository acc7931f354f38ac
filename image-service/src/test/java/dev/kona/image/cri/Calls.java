package dev.kona.image.cri;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Calls an endpoint method directly and returns its single response (errors propagate as thrown). */
final class Calls {

  private Calls() {}

  static <Q, R> R call(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    List<R> responses = new ArrayList<>();
    boolean[] completed = new boolean[1];
    method.accept(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(R value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {
            throw new AssertionError("endpoint reported an error through the observer", t);
          }

          @Override
          public void onCompleted() {
            completed[0] = true;
          }
        });
    if (responses.size() != 1 || !completed[0]) {
      throw new AssertionError("expected one response and completion, got " + responses);
    }
    return responses.getFirst();
  }
}
