package io.parallax.compute;

import io.parallax.bus.ErrorCode;

/** A {@link TaskContext} whose checkpoint fails once a deadline on the monotonic clock has passed. */
final class DeadlineContext implements TaskContext {

  private final long deadlineNanos;
  private final long timeoutMillis;

  DeadlineContext(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
  }

  @Override
  public void checkpoint() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new TaskException(ErrorCode.TIMEOUT, "task exceeded its timeout of " + timeoutMillis + " ms");
    }
  }
}
