package dev.kona.runtime.util;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps to undo if a multi-step operation fails part-way: each completed step pushes its inverse;
 * {@link #run} undoes in reverse order, logging (not throwing) failures so the original error
 * reaches the caller. {@link #commit} forgets them once the operation succeeded.
 */
public final class Undo implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Undo.class);

  private final String operation;
  private final Deque<Step> steps = new ArrayDeque<>();
  private boolean committed;

  public Undo(String operation) {
    this.operation = operation;
  }

  private record Step(String what, Runnable action) {}

  public void push(String what, Runnable action) {
    steps.push(new Step(what, action));
  }

  public void commit() {
    committed = true;
    steps.clear();
  }

  /** Undoes every step not yet committed; called by try-with-resources on the way out. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    while (!steps.isEmpty()) {
      Step step = steps.pop();
      try {
        step.action().run();
      } catch (RuntimeException e) {
        LOG.warn("{}: undo {} failed: {}", operation, step.what(), e.getMessage());
      }
    }
  }
}
