package io.parallax.compute;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs cancelled recently on this node, shared by the workers: a chunk of a cancelled job stops at its
 * next checkpoint. Entries expire after a while so the set stays small.
 */
public final class CancelledJobs {

  private static final long KEEP_NANOS = 60L * 60 * 1_000_000_000;
  private static final int MAX_ENTRIES = 100_000;

  private final Map<String, Long> cancelledAt = new ConcurrentHashMap<>();

  public void cancel(String jobId) {
    long now = System.nanoTime();
    if (cancelledAt.size() >= MAX_ENTRIES) {
      for (Iterator<Long> it = cancelledAt.values().iterator(); it.hasNext(); ) {
        if (now - it.next() > KEEP_NANOS) {
          it.remove();
        }
      }
    }
    cancelledAt.put(jobId, now);
  }

  public boolean isCancelled(String jobId) {
    return jobId != null && cancelledAt.containsKey(jobId);
  }
}
