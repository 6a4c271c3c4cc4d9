package io.parallax.compute;

import io.parallax.bus.ErrorCode;

/**
 * A {@link TaskContext} whose checkpoint fails once a deadline on the monotonic clock has passed, or once the
 * job the work belongs to was cancelled.
 */
final class DeadlineContext implements TaskContext {

  private final long deadlineNanos;
  private final long timeoutMillis;
  private final CancelledJobs cancelledJobs;
  private final String jobId;

  DeadlineContext(long timeoutMillis, CancelledJobs cancelledJobs, String jobId) {
    this.timeoutMillis = timeoutMillis;
    this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    this.cancelledJobs = cancelledJobs;
    this.jobId = jobId;
  }

  @Override
  public void checkpoint() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new TaskException(ErrorCode.TIMEOUT, "task exceeded its timeout of " + timeoutMillis + " ms");
    }
    if (jobId != null && cancelledJobs.isCancelled(jobId)) {
      throw new TaskException(ErrorCode.CANCELLED, "job " + jobId + " was cancelled");
    }
  }
}
