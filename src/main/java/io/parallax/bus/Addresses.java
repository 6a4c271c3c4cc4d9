package io.parallax.bus;

/**
 * Every event-bus address Parallax uses, in one place. The README's address table mirrors this class.
 *
 * <p>Public addresses ({@code parallax.task.*}) are what clients send to. Internal ones
 * ({@code parallax.internal.*}) wire the node's own verticles together and are never exposed by a bridge.
 */
public final class Addresses {

  /** Prefix of the per-task request-reply addresses: {@code parallax.task.primes}, {@code parallax.task.pbkdf2}, … */
  public static final String TASK_PREFIX = "parallax.task.";

  /** A worker announces it can take work: body {@code {"address": "<its private address>"}}. */
  public static final String WORKER_READY = "parallax.internal.worker.ready";

  /** Prefix of each worker's private address; the dispatcher sends one task at a time to it. */
  public static final String WORKER_PREFIX = "parallax.internal.worker.";

  /** The dispatcher's status: reply {@code {"workers", "busyWorkers", "queued"}}. */
  public static final String DISPATCH_STATUS = "parallax.internal.dispatch.status";

  /** Ask the dispatcher to refuse new work and reply once everything in flight has finished. */
  public static final String DISPATCH_DRAIN = "parallax.internal.dispatch.drain";

  /** Message header carrying a per-request task timeout in milliseconds (a JSON number or decimal string). */
  public static final String HEADER_TIMEOUT = "timeout";

  /** Reply header naming the media type of a binary (Buffer) task result. */
  public static final String HEADER_CONTENT_TYPE = "content-type";

  /** Reply headers describing a binary result, mirroring the fields of a JSON reply envelope. */
  public static final String HEADER_TASK = "task";
  public static final String HEADER_NODE = "node";
  public static final String HEADER_MILLIS = "millis";

  private Addresses() {
  }

  public static String task(String taskName) {
    return TASK_PREFIX + taskName;
  }

  public static String worker(String nodeId, int index) {
    return WORKER_PREFIX + nodeId + "." + index;
  }
}
