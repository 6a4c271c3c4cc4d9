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

  /** Submit a job: request {@code {"task", "params", "chunks"?}}, reply {@code {"id", "state", "chunks": {"total"}}}. */
  public static final String JOBS_SUBMIT = "parallax.jobs.submit";

  /** A job's status: request {@code {"id"}}, reply the status of {@code GET /api/jobs/<id>}. Any node answers. */
  public static final String JOBS_STATUS = "parallax.jobs.status";

  /** Prefix of each job's progress address, {@code parallax.jobs.<id>}, where its events are published. */
  public static final String JOB_EVENTS_PREFIX = "parallax.jobs.";

  /** Prefix of each coordinator's cancel address: request {@code {"id"}} of a job it owns, reply the status. */
  public static final String JOBS_CANCEL_PREFIX = "parallax.internal.jobs.cancel.";

  /** Published when a job is cancelled ({@code {"id"}}): every node stops that job's chunks. */
  public static final String JOBS_CANCELLED = "parallax.internal.jobs.cancelled";

  /** Ask the job coordinator to refuse new jobs and reply once no job is running. */
  public static final String JOBS_DRAIN = "parallax.internal.jobs.drain";

  /**
   * Published by a coordinator that has chunks to hand out: {@code {"pull": "<its pull address>"}}. Every
   * scheduler with idle workers then pulls from it.
   */
  public static final String JOBS_WORK = "parallax.internal.jobs.work";

  /**
   * Prefix of each coordinator's pull address, {@code parallax.internal.jobs.pull.<node>}. A scheduler asks
   * {@code {"node", "worker"}}; the reply is {@code {"none": true}}, or a chunk
   * {@code {"job", "index", "task", "chunk", "timeoutMs"}} sent with {@code replyAndRequest}, to which the
   * scheduler replies with the chunk's result (or failure).
   */
  public static final String JOBS_PULL_PREFIX = "parallax.internal.jobs.pull.";

  /** Prefix of each node's self-description, {@code parallax.internal.node.<id>}: reply a member of {@code /api/cluster}. */
  public static final String NODE_PREFIX = "parallax.internal.node.";

  /**
   * Published locally when a cluster member leaves or crashes: {@code {"node"}}. Its chunks go back in line, and
   * pulls waiting on its coordinator are given up.
   */
  public static final String CLUSTER_MEMBER_LEFT = "parallax.internal.cluster.left";

  /**
   * Published locally once membership has settled after departures, and only on a side that still holds at
   * least half of the members it had: {@code {"nodes": [...]}}. Their jobs may be taken over.
   */
  public static final String CLUSTER_ORPHANS = "parallax.internal.cluster.orphans";

  /** A worker announces it can take work: body {@code {"address": "<its private address>"}}. */
  public static final String WORKER_READY = "parallax.internal.worker.ready";

  /** Prefix of each worker's private address; the scheduler sends one task at a time to it. */
  public static final String WORKER_PREFIX = "parallax.internal.worker.";

  /** The scheduler's status: reply {@code {"workers", "busyWorkers", "queued", "queuedChunks"}}. */
  public static final String SCHEDULER_STATUS = "parallax.internal.scheduler.status";

  /** Ask the scheduler to refuse new tasks and reply once everything it admitted has finished. */
  public static final String SCHEDULER_DRAIN = "parallax.internal.scheduler.drain";

  /** Message header carrying a per-request task timeout in milliseconds (a JSON number or decimal string). */
  public static final String HEADER_TIMEOUT = "timeout";

  /** Reply header naming the media type of a binary (Buffer) task result. */
  public static final String HEADER_CONTENT_TYPE = "content-type";

  /**
   * Reply headers describing a result: the task, the node and worker that computed it, its run time in whole
   * milliseconds and in nanoseconds (summed over a job's chunks, whole milliseconds would lose up to one each).
   */
  public static final String HEADER_TASK = "task";
  public static final String HEADER_NODE = "node";
  public static final String HEADER_WORKER = "worker";
  public static final String HEADER_MILLIS = "millis";
  public static final String HEADER_NANOS = "nanos";


  private Addresses() {
  }

  public static String task(String taskName) {
    return TASK_PREFIX + taskName;
  }

  public static String jobEvents(String jobId) {
    return JOB_EVENTS_PREFIX + jobId;
  }

  public static String node(String nodeId) {
    return NODE_PREFIX + nodeId;
  }

  public static String jobsCancel(String nodeId) {
    return JOBS_CANCEL_PREFIX + nodeId;
  }

  public static String jobsPull(String nodeId) {
    return JOBS_PULL_PREFIX + nodeId;
  }

  public static String worker(String nodeId, int index) {
    return WORKER_PREFIX + nodeId + "." + index;
  }
}
