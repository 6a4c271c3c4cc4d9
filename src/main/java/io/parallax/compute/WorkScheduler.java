package io.parallax.compute;

import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which worker runs what on this node. Work arrives as single tasks ({@code parallax.task.<name>})
 * and as job chunks ({@link Addresses#SCHEDULER_CHUNK}); a worker gets one piece of work only when it is
 * idle (dispatch by demand), so no backlog ever builds up behind a busy worker.
 *
 * <p>Fairness: work waits in lanes, one lane per job and one per single task, and idle workers take from
 * the lanes in turn, so a short job never waits behind a long one.
 *
 * <p>Admission answers at once: invalid parameters fail with 400, a full node with 503 {@code QUEUE_FULL},
 * a draining node with 503 {@code DRAINING}. A single task's timeout covers its wait and its run; a chunk's
 * covers its run only. Runs on one event loop, so its state needs no locks.
 */
public final class WorkScheduler extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkScheduler.class);

  /** Extra time a worker gets past a task's deadline before the scheduler gives up on it. */
  private static final long WORKER_GRACE_MILLIS = 5_000;

  private final TaskRegistry registry;
  private final CancelledJobs cancelledJobs;
  private final Limits limits;

  private final ArrayDeque<String> idleWorkers = new ArrayDeque<>();
  private final Set<String> busyWorkers = new HashSet<>();
  private final Map<String, ArrayDeque<Work>> lanes = new LinkedHashMap<>();
  private final ArrayDeque<String> turns = new ArrayDeque<>();
  private final List<Message<?>> drainWaiters = new ArrayList<>();
  private int admittedTasks;
  private int queuedTasks;
  private int queuedChunks;
  private int runningChunks;
  private long nextLane;
  private boolean draining;

  /** The bounds the scheduler enforces. */
  public record Limits(int maxTasks, int maxQueuedChunks, long defaultTimeoutMillis, long maxTimeoutMillis) {
  }

  /** One piece of work: a single task, or a chunk of a job. */
  private static final class Work {
    final Message<?> request;
    final String lane;
    final String taskName;
    final JsonObject params;
    final String jobId;
    final long timeoutMillis;
    final long deadlineNanos;
    final String avoid;
    long expiryTimer = -1;

    Work(Message<?> request, String lane, String taskName, JsonObject params, String jobId, long timeoutMillis,
         String avoid) {
      this.request = request;
      this.lane = lane;
      this.taskName = taskName;
      this.params = params;
      this.jobId = jobId;
      this.timeoutMillis = timeoutMillis;
      this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
      this.avoid = avoid;
    }

    boolean isChunk() {
      return jobId != null;
    }

    /** What is left of the timeout: a single task's wait counts against it, a chunk's does not. */
    long runMillis() {
      return isChunk() ? timeoutMillis : Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
    }
  }

  public WorkScheduler(TaskRegistry registry, CancelledJobs cancelledJobs, Limits limits) {
    this.registry = registry;
    this.cancelledJobs = cancelledJobs;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<Future<Void>> registrations = new ArrayList<>();
    for (ComputeTask task : registry.all()) {
      registrations.add(bus.<JsonObject>consumer(Addresses.task(task.name()), msg -> admitTask(task, msg)).completion());
    }
    registrations.add(bus.<JsonObject>localConsumer(Addresses.SCHEDULER_CHUNK, this::admitChunk).completion());
    registrations.add(bus.<JsonObject>consumer(Addresses.JOBS_CANCELLED, this::cancelJob).completion());
    registrations.add(bus.<JsonObject>localConsumer(Addresses.WORKER_READY, this::workerReady).completion());
    registrations.add(bus.localConsumer(Addresses.SCHEDULER_STATUS, msg -> msg.reply(status())).completion());
    registrations.add(bus.localConsumer(Addresses.SCHEDULER_DRAIN, this::drain).completion());
    return Future.all(registrations);
  }

  private void admitTask(ComputeTask task, Message<JsonObject> request) {
    try {
      if (draining) {
        throw new FailureException(Failure.of(ErrorCode.DRAINING, "node is shutting down"));
      }
      JsonObject params = registry.validate(task, request.body() == null ? new JsonObject() : request.body());
      long timeoutMillis = timeoutOf(request);
      if (admittedTasks >= limits.maxTasks()) {
        throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
            "node is at its limit of " + limits.maxTasks() + " queued or running tasks"));
      }
      admittedTasks++;
      queuedTasks++;
      Work work = new Work(request, "task-" + nextLane++, task.name(), params, null, timeoutMillis, null);
      work.expiryTimer = vertx.setTimer(timeoutMillis, id -> expireQueued(work));
      enqueue(work);
    } catch (FailureException rejected) {
      rejected.failure().failMessage(request);
    } catch (ClassCastException notAnObject) {
      Failure.of(ErrorCode.MALFORMED_JSON, "task parameters must be a JSON object").failMessage(request);
    }
  }

  private void admitChunk(Message<JsonObject> request) {
    JsonObject body = request.body();
    String jobId = body.getString("job");
    if (cancelledJobs.isCancelled(jobId)) {
      Failure.of(ErrorCode.CANCELLED, "job " + jobId + " was cancelled").failMessage(request);
      return;
    }
    if (queuedChunks >= limits.maxQueuedChunks()) {
      Failure.of(ErrorCode.QUEUE_FULL, "node is at its limit of " + limits.maxQueuedChunks() + " queued chunks")
          .failMessage(request);
      return;
    }
    queuedChunks++;
    enqueue(new Work(request, "job-" + jobId, body.getString("task"), body.getJsonObject("chunk"), jobId,
        body.getLong("timeoutMs"), request.headers().get(Addresses.HEADER_AVOID)));
  }

  private void enqueue(Work work) {
    ArrayDeque<Work> lane = lanes.get(work.lane);
    if (lane == null) {
      lane = new ArrayDeque<>();
      lanes.put(work.lane, lane);
      turns.add(work.lane);
    }
    lane.add(work);
    dispatchWhilePossible();
  }

  private long timeoutOf(Message<?> request) {
    String header = request.headers().get(Addresses.HEADER_TIMEOUT);
    if (header == null) {
      return limits.defaultTimeoutMillis();
    }
    long timeout;
    try {
      timeout = Long.parseLong(header.trim());
    } catch (NumberFormatException notANumber) {
      timeout = -1;
    }
    if (timeout < 1 || timeout > limits.maxTimeoutMillis()) {
      throw new FailureException(Failure.invalidParam("timeout",
          "timeout must be between 1 and " + limits.maxTimeoutMillis() + " ms"));
    }
    return timeout;
  }

  private void expireQueued(Work work) {
    ArrayDeque<Work> lane = lanes.get(work.lane);
    if (lane != null && lane.remove(work)) {
      dropLaneIfEmpty(work.lane, lane);
      queuedTasks--;
      Failure.of(ErrorCode.TIMEOUT, "task waited in the queue past its timeout of " + work.timeoutMillis + " ms")
          .failMessage(work.request);
      taskFinished();
    }
  }

  private void cancelJob(Message<JsonObject> notice) {
    String jobId = notice.body().getString("id");
    cancelledJobs.cancel(jobId);
    String laneId = "job-" + jobId;
    ArrayDeque<Work> lane = lanes.remove(laneId);
    if (lane != null) {
      turns.remove(laneId);
      for (Work work : lane) {
        queuedChunks--;
        Failure.of(ErrorCode.CANCELLED, "job " + jobId + " was cancelled").failMessage(work.request);
      }
    }
  }

  /** Gives idle workers work, taking one piece from each lane in turn. */
  private void dispatchWhilePossible() {
    int lanesWithoutAWorker = 0;
    while (!idleWorkers.isEmpty() && !turns.isEmpty() && lanesWithoutAWorker < turns.size()) {
      String laneId = turns.poll();
      ArrayDeque<Work> lane = lanes.get(laneId);
      String worker = pickWorker(lane.peek().avoid);
      if (worker == null) {
        turns.add(laneId);
        lanesWithoutAWorker++;
        continue;
      }
      lanesWithoutAWorker = 0;
      Work work = lane.poll();
      if (lane.isEmpty()) {
        lanes.remove(laneId);
      } else {
        turns.add(laneId);
      }
      if (work.isChunk()) {
        queuedChunks--;
        runningChunks++;
      } else {
        queuedTasks--;
        vertx.cancelTimer(work.expiryTimer);
      }
      runOn(worker, work);
    }
  }

  /** An idle worker other than {@code avoid}; the avoided one only when it is the node's only worker. */
  private String pickWorker(String avoid) {
    if (avoid == null || idleWorkers.size() > 1 || !idleWorkers.contains(avoid)) {
      for (Iterator<String> it = idleWorkers.iterator(); it.hasNext(); ) {
        String worker = it.next();
        if (!worker.equals(avoid)) {
          it.remove();
          return worker;
        }
      }
    }
    if (idleWorkers.size() + busyWorkers.size() == 1) {
      return idleWorkers.poll();
    }
    return null;
  }

  private void dropLaneIfEmpty(String laneId, ArrayDeque<Work> lane) {
    if (lane.isEmpty()) {
      lanes.remove(laneId);
      turns.remove(laneId);
    }
  }

  private void runOn(String worker, Work work) {
    busyWorkers.add(worker);
    long runMillis = work.runMillis();
    JsonObject message = new JsonObject()
        .put("task", work.taskName)
        .put(work.isChunk() ? "chunk" : "params", work.params)
        .put("timeoutMs", runMillis);
    if (work.isChunk()) {
      message.put("job", work.jobId);
    }
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(runMillis + WORKER_GRACE_MILLIS);
    vertx.eventBus().request(worker, message, options).onComplete(outcome -> {
      busyWorkers.remove(worker);
      if (outcome.succeeded()) {
        reply(work, outcome.result());
        idleWorkers.add(worker);
      } else if (outcome.cause() instanceof ReplyException failure
          && failure.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        forwardFailure(work, failure.failureCode(), failure.getMessage(), worker);
        idleWorkers.add(worker);
      } else {
        // The worker did not answer in time: keep it out until it says it is ready again.
        LOG.warn("Worker {} did not answer a {} task in time; holding it back until it reports ready", worker,
            work.taskName);
        Failure timeout = Failure.of(ErrorCode.TIMEOUT, "task exceeded its timeout of " + work.timeoutMillis + " ms");
        forwardFailure(work, ErrorCode.TIMEOUT.httpStatus(), timeout.toJson().encode(), worker);
      }
      if (work.isChunk()) {
        runningChunks--;
        checkDrained();
      } else {
        taskFinished();
      }
      dispatchWhilePossible();
    });
  }

  /**
   * Passes a worker's failure on. A chunk's failure also names the worker (field {@code "worker"} beside
   * {@code "error"}), so that a retry can ask to avoid it.
   */
  private void forwardFailure(Work work, int code, String message, String worker) {
    String text = message == null ? "" : message;
    if (work.isChunk() && text.startsWith("{")) {
      try {
        text = new JsonObject(text).put("worker", worker).encode();
      } catch (RuntimeException notJson) {
        // pass the text on as it came
      }
    }
    work.request.fail(code, text);
  }

  private void reply(Work work, Message<Object> result) {
    MultiMap headers = result.headers();
    if (work.isChunk() || result.body() instanceof Buffer) {
      work.request.reply(result.body(), new DeliveryOptions().setHeaders(headers));
      return;
    }
    work.request.reply(new JsonObject()
        .put("task", work.taskName)
        .put("node", headers.get(Addresses.HEADER_NODE))
        .put("millis", Long.parseLong(headers.get(Addresses.HEADER_MILLIS)))
        .put("result", result.body()));
  }

  private void workerReady(Message<JsonObject> announcement) {
    String worker = announcement.body().getString("address");
    if (worker != null && !busyWorkers.contains(worker) && !idleWorkers.contains(worker)) {
      idleWorkers.add(worker);
      LOG.debug("Worker {} ready", worker);
      dispatchWhilePossible();
    }
  }

  private void taskFinished() {
    admittedTasks--;
    checkDrained();
  }

  private void checkDrained() {
    if (draining && admittedTasks == 0 && queuedChunks == 0 && runningChunks == 0) {
      drainWaiters.forEach(waiter -> waiter.reply(status()));
      drainWaiters.clear();
    }
  }

  private void drain(Message<Object> request) {
    draining = true;
    drainWaiters.add(request);
    if (admittedTasks + queuedChunks + runningChunks > 0) {
      LOG.info("Draining: waiting for {} tasks and {} chunks", admittedTasks, queuedChunks + runningChunks);
    }
    checkDrained();
  }

  private JsonObject status() {
    return new JsonObject()
        .put("workers", idleWorkers.size() + busyWorkers.size())
        .put("busyWorkers", busyWorkers.size())
        .put("queued", queuedTasks)
        .put("queuedChunks", queuedChunks);
  }
}
