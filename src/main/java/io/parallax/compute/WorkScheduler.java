package io.parallax.compute;

import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.parallax.bus.Timeouts;
import io.vertx.core.AsyncResult;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what this node's workers run. A worker gets one piece of work only when it is idle (dispatch by
 * demand), so no backlog ever builds up behind a busy worker:
 *
 * <ul>
 *   <li>single tasks ({@code parallax.task.<name>}) wait here in a bounded FIFO queue and go first;</li>
 *   <li>otherwise an idle worker pulls one chunk from a job coordinator that announced work (on this node or
 *       any other), taking the coordinators in turn; the coordinator gets the chunk's result as the reply.</li>
 * </ul>
 *
 * <p>Handing a worker its next chunk takes a few event-bus hops, each a thread wake-up (about a millisecond
 * in all on a busy machine), which would cost a job of short chunks several percent. So while chunks run
 * short (under {@value #PULL_AHEAD_BELOW_MILLIS} ms), a worker that starts a chunk already pulls its next
 * one, which waits in the worker's own queue and starts the moment the current one ends. A worker thus holds
 * at most one chunk ahead, and only a short one, so the tail of a job grows by no more than one short chunk.
 *
 * <p>A worker that does not answer in time is held back: it gets a ping, queued behind what it is running,
 * and takes work again once the ping comes back.
 *
 * <p>Admission of single tasks answers at once: invalid parameters fail with 400, a full node with 503
 * {@code QUEUE_FULL}, a draining node with 503 {@code DRAINING}. A task's timeout covers its wait and its run.
 * While draining, the scheduler takes no new tasks and pulls chunks only from its own node's coordinator.
 * Runs on one event loop, so its state needs no locks.
 */
public final class WorkScheduler extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkScheduler.class);

  /** Extra time a worker gets past a task's deadline before the scheduler gives up on it. */
  private static final long WORKER_GRACE_MILLIS = 5_000;
  private static final long PULL_TIMEOUT_MILLIS = 5_000;
  private static final long PING_TIMEOUT_MILLIS = 24 * 3_600_000L;
  static final long PULL_AHEAD_BELOW_MILLIS = 50;

  private final TaskRegistry registry;
  private final CancelledJobs cancelledJobs;
  private final Limits limits;
  private final String nodeId;

  private final ArrayDeque<String> idleWorkers = new ArrayDeque<>();
  /** Messages sent to each busy worker and not answered yet: work, work pulled ahead, a ping. */
  private final Map<String, Integer> inFlight = new HashMap<>();
  /** Workers that did not answer in time, until they answer a ping. */
  private final Set<String> heldBack = new HashSet<>();
  /** Each worker's pull for the chunk to queue behind its current one, while it awaits an answer. */
  private final Map<String, Pull> pullingAhead = new HashMap<>();
  private final ArrayDeque<PendingTask> queue = new ArrayDeque<>();
  /** Pull addresses of coordinators that said they have chunks, in the order they get their turn. */
  private final LinkedHashSet<String> coordinatorsWithWork = new LinkedHashSet<>();
  private final List<Message<?>> drainWaiters = new ArrayList<>();
  /** Pulls awaiting a coordinator's answer, each with its worker. */
  private final Set<Pull> pulls = new HashSet<>();
  private long lastChunkMillis = Long.MAX_VALUE;
  private int admittedTasks;
  private int runningChunks;
  private long chunksDone;
  private boolean draining;

  /** One pull in flight; compared by identity, as a worker may pull from the same coordinator again. */
  private static final class Pull {
    final String worker;
    final String coordinator;

    Pull(String worker, String coordinator) {
      this.worker = worker;
      this.coordinator = coordinator;
    }
  }

  /** The bounds the scheduler enforces on single tasks. */
  public record Limits(int maxTasks, long defaultTimeoutMillis, long maxTimeoutMillis) {
  }

  private static final class PendingTask {
    final Message<JsonObject> request;
    final String taskName;
    final JsonObject params;
    final long timeoutMillis;
    final long deadlineNanos;
    long expiryTimer;

    PendingTask(Message<JsonObject> request, String taskName, JsonObject params, long timeoutMillis) {
      this.request = request;
      this.taskName = taskName;
      this.params = params;
      this.timeoutMillis = timeoutMillis;
      this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    long remainingMillis() {
      return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
    }
  }

  public WorkScheduler(TaskRegistry registry, CancelledJobs cancelledJobs, Limits limits, String nodeId) {
    this.registry = registry;
    this.cancelledJobs = cancelledJobs;
    this.limits = limits;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<Future<Void>> registrations = new ArrayList<>();
    for (ComputeTask task : registry.all()) {
      registrations.add(bus.<JsonObject>consumer(Addresses.task(task.name()), msg -> admitTask(task, msg)).completion());
    }
    registrations.add(bus.<JsonObject>consumer(Addresses.JOBS_WORK, this::workAnnounced).completion());
    registrations.add(bus.<JsonObject>consumer(Addresses.JOBS_CANCELLED,
        notice -> cancelledJobs.cancel(notice.body().getString("id"))).completion());
    registrations.add(bus.<JsonObject>localConsumer(Addresses.WORKER_READY, this::workerReady).completion());
    registrations.add(bus.<JsonObject>localConsumer(Addresses.CLUSTER_MEMBER_LEFT, this::memberLeft).completion());
    registrations.add(bus.localConsumer(Addresses.SCHEDULER_STATUS, msg -> msg.reply(status())).completion());
    registrations.add(bus.localConsumer(Addresses.SCHEDULER_DRAIN, this::drain).completion());
    return Future.all(registrations);
  }

  // ---- single tasks -------------------------------------------------------------------------------------

  private void admitTask(ComputeTask task, Message<JsonObject> request) {
    try {
      if (draining) {
        throw new FailureException(Failure.of(ErrorCode.DRAINING, "node is shutting down"));
      }
      JsonObject params = registry.validate(task, request.body() == null ? new JsonObject() : request.body());
      long timeoutMillis = Timeouts.parse(request.headers().get(Addresses.HEADER_TIMEOUT),
          limits.defaultTimeoutMillis(), limits.maxTimeoutMillis());
      if (admittedTasks >= limits.maxTasks()) {
        throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
            "node is at its limit of " + limits.maxTasks() + " queued or running tasks"));
      }
      admittedTasks++;
      PendingTask pending = new PendingTask(request, task.name(), params, timeoutMillis);
      pending.expiryTimer = vertx.setTimer(timeoutMillis, id -> expireQueued(pending));
      queue.add(pending);
      dispatchWhilePossible();
    } catch (FailureException rejected) {
      rejected.failure().failMessage(request);
    } catch (ClassCastException notAnObject) {
      Failure.of(ErrorCode.MALFORMED_JSON, "task parameters must be a JSON object").failMessage(request);
    }
  }

  private void expireQueued(PendingTask pending) {
    if (queue.remove(pending)) {
      Failure.of(ErrorCode.TIMEOUT, "task waited in the queue past its timeout of " + pending.timeoutMillis + " ms")
          .failMessage(pending.request);
      taskFinished();
    }
  }

  private void runTask(String worker, PendingTask pending) {
    vertx.cancelTimer(pending.expiryTimer);
    JsonObject work = new JsonObject()
        .put("task", pending.taskName)
        .put("params", pending.params)
        .put("timeoutMs", pending.remainingMillis());
    runOn(worker, work, pending.timeoutMillis, result -> reply(pending, result),
        (code, message) -> pending.request.fail(code, message), this::taskFinished);
  }

  /** A JSON result travels in {@code {"task", "node", "millis", "result"}}; bytes travel as they are, with headers. */
  private static void reply(PendingTask pending, Message<Object> result) {
    MultiMap headers = result.headers();
    if (result.body() instanceof Buffer) {
      pending.request.reply(result.body(), new DeliveryOptions().setHeaders(headers));
      return;
    }
    pending.request.reply(new JsonObject()
        .put("task", pending.taskName)
        .put("node", headers.get(Addresses.HEADER_NODE))
        .put("millis", Long.parseLong(headers.get(Addresses.HEADER_MILLIS)))
        .put("result", result.body()));
  }

  // ---- chunks pulled from coordinators ------------------------------------------------------------------

  private void workAnnounced(Message<JsonObject> announcement) {
    String pullAddress = announcement.body().getString("pull");
    if (pullAddress != null && coordinatorsWithWork.add(pullAddress)) {
      dispatchWhilePossible();
    }
  }

  private String nextCoordinator() {
    String local = Addresses.jobsPull(nodeId);
    if (draining) {
      return coordinatorsWithWork.contains(local) ? local : null;
    }
    String next = coordinatorsWithWork.iterator().next();
    coordinatorsWithWork.remove(next);
    coordinatorsWithWork.add(next); // to the back of the line: coordinators take turns
    return next;
  }

  private void pull(String worker, String coordinator) {
    Pull pull = new Pull(worker, coordinator);
    pulls.add(pull);
    JsonObject ask = new JsonObject().put("node", nodeId).put("worker", worker);
    vertx.eventBus().<JsonObject>request(coordinator, ask, new DeliveryOptions().setSendTimeout(PULL_TIMEOUT_MILLIS))
        .onComplete(answer -> {
          if (!pulls.remove(pull)) { // given up on when its coordinator's node left: the worker went on
            refuseLateChunk(answer);
            return;
          }
          if (answer.succeeded() && !answer.result().body().getBoolean("none", false)) {
            runChunk(worker, answer.result());
          } else {
            pullFailed(pull);
          }
          dispatchWhilePossible();
        });
  }

  private static void refuseLateChunk(AsyncResult<Message<JsonObject>> answer) {
    if (answer.succeeded() && !answer.result().body().getBoolean("none", false)) {
      answer.result().fail(ErrorCode.NO_HANDLERS.httpStatus(), Failure.of(ErrorCode.NO_HANDLERS,
          "the chunk came after its coordinator's node had left").toJson().encode());
    }
  }

  private void pullFailed(Pull pull) {
    coordinatorsWithWork.remove(pull.coordinator); // until it announces work again
    if (!inFlight.containsKey(pull.worker)) { // a chunk pulled ahead for it may have arrived meanwhile
      idleWorkers.add(pull.worker);
    }
    checkDrained();
  }

  /**
   * A node left: its coordinator will answer no pull. Its jobs go to a survivor, which announces them anew;
   * workers waiting on it would otherwise sit idle until the pull times out.
   */
  private void memberLeft(Message<JsonObject> notice) {
    String coordinator = Addresses.jobsPull(notice.body().getString("node"));
    coordinatorsWithWork.remove(coordinator);
    List<Pull> abandoned = pulls.stream().filter(pull -> pull.coordinator.equals(coordinator)).toList();
    abandoned.forEach(pulls::remove);
    abandoned.forEach(this::pullFailed);
    pullingAhead.values().removeIf(pull -> pull.coordinator.equals(coordinator));
    checkDrained();
    dispatchWhilePossible();
  }

  private void runChunk(String worker, Message<JsonObject> chunk) {
    runningChunks++;
    JsonObject work = chunk.body();
    runOn(worker, work, work.getLong("timeoutMs"),
        result -> {
          chunksDone++;
          lastChunkMillis = Long.parseLong(result.headers().get(Addresses.HEADER_MILLIS));
          chunk.reply(result.body(), new DeliveryOptions().setHeaders(result.headers()));
        },
        (code, message) -> chunk.fail(code, withWorker(message, worker)),
        () -> {
          runningChunks--;
          checkDrained();
        });
    pullAheadIfShort(worker);
  }

  /** While chunks run short, a worker running exactly one chunk gets its next one queued behind it. */
  private void pullAheadIfShort(String worker) {
    if (lastChunkMillis >= PULL_AHEAD_BELOW_MILLIS || draining || !queue.isEmpty() || coordinatorsWithWork.isEmpty()
        || inFlight.getOrDefault(worker, 0) != 1 || heldBack.contains(worker) || pullingAhead.containsKey(worker)) {
      return;
    }
    String coordinator = nextCoordinator();
    Pull pull = new Pull(worker, coordinator);
    pullingAhead.put(worker, pull);
    JsonObject ask = new JsonObject().put("node", nodeId).put("worker", worker);
    vertx.eventBus().<JsonObject>request(coordinator, ask, new DeliveryOptions().setSendTimeout(PULL_TIMEOUT_MILLIS))
        .onComplete(answer -> {
          if (!pullingAhead.remove(worker, pull)) { // given up on when its coordinator's node left
            refuseLateChunk(answer);
            return;
          }
          if (answer.succeeded() && !answer.result().body().getBoolean("none", false)) {
            if (heldBack.contains(worker)) {
              answer.result().fail(ErrorCode.TIMEOUT.httpStatus(), withWorker(Failure.of(ErrorCode.TIMEOUT,
                  "the worker this chunk was meant for stopped answering").toJson().encode(), worker));
            } else {
              idleWorkers.remove(worker); // it may have finished while the chunk was on its way
              runChunk(worker, answer.result());
            }
          } else {
            coordinatorsWithWork.remove(coordinator);
          }
          checkDrained();
          dispatchWhilePossible();
        });
  }

  /** A chunk's failure also names the worker, so that the coordinator can retry elsewhere. */
  private static String withWorker(String message, String worker) {
    if (message != null && message.startsWith("{")) {
      try {
        return new JsonObject(message).put("worker", worker).encode();
      } catch (RuntimeException notJson) {
        return message;
      }
    }
    return message;
  }

  // ---- workers ------------------------------------------------------------------------------------------

  /** Gives idle workers work: queued tasks first, then chunks pulled from coordinators in turn. */
  private void dispatchWhilePossible() {
    while (!idleWorkers.isEmpty()) {
      if (!queue.isEmpty()) {
        runTask(idleWorkers.poll(), queue.poll());
        continue;
      }
      if (coordinatorsWithWork.isEmpty()) {
        return;
      }
      String coordinator = nextCoordinator();
      if (coordinator == null) {
        return;
      }
      pull(idleWorkers.poll(), coordinator);
    }
  }

  private interface FailureSink {
    void fail(int code, String message);
  }

  private void runOn(String worker, JsonObject work, long timeoutMillis,
                     java.util.function.Consumer<Message<Object>> onResult, FailureSink onFailure, Runnable finished) {
    inFlight.merge(worker, 1, Integer::sum);
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true)
        .setSendTimeout(work.getLong("timeoutMs") + WORKER_GRACE_MILLIS);
    vertx.eventBus().request(worker, work, options).onComplete(outcome -> {
      if (outcome.succeeded()) {
        onResult.accept(outcome.result());
      } else if (outcome.cause() instanceof ReplyException failure
          && failure.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        onFailure.fail(failure.failureCode(), failure.getMessage());
      } else {
        Failure timeout = Failure.of(ErrorCode.TIMEOUT, "task exceeded its timeout of " + timeoutMillis + " ms");
        onFailure.fail(ErrorCode.TIMEOUT.httpStatus(), timeout.toJson().encode());
        holdBack(worker, work.getString("task"));
      }
      finished.run();
      answered(worker);
      dispatchWhilePossible();
    });
  }

  /** One message to the worker was answered (or given up on): when none is left, it is free again. */
  private void answered(String worker) {
    int left = inFlight.merge(worker, -1, Integer::sum);
    if (left > 0) {
      pullAheadIfShort(worker); // what was queued behind has started
      return;
    }
    inFlight.remove(worker);
    if (!heldBack.contains(worker)) {
      idleWorkers.add(worker);
    }
  }

  /** The worker overran: no work for it until it answers a ping, which it can only do once it is through. */
  private void holdBack(String worker, String task) {
    if (!heldBack.add(worker)) {
      return;
    }
    LOG.warn("Worker {} did not answer a {} task in time; holding it back until it is through", worker, task);
    inFlight.merge(worker, 1, Integer::sum);
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(PING_TIMEOUT_MILLIS);
    vertx.eventBus().request(worker, new JsonObject().put("ping", true), options).onComplete(pong -> {
      heldBack.remove(worker);
      answered(worker);
      dispatchWhilePossible();
    });
  }

  private void workerReady(Message<JsonObject> announcement) {
    String worker = announcement.body().getString("address");
    if (worker != null && !inFlight.containsKey(worker) && !idleWorkers.contains(worker)) {
      idleWorkers.add(worker);
      LOG.debug("Worker {} ready", worker);
      dispatchWhilePossible();
    }
  }

  // ---- drain and status ---------------------------------------------------------------------------------

  private void taskFinished() {
    admittedTasks--;
    checkDrained();
  }

  private void checkDrained() {
    if (draining && admittedTasks == 0 && runningChunks == 0 && pulls.isEmpty() && pullingAhead.isEmpty()) {
      drainWaiters.forEach(waiter -> waiter.reply(status()));
      drainWaiters.clear();
    }
  }

  private void drain(Message<Object> request) {
    draining = true;
    drainWaiters.add(request);
    if (admittedTasks + runningChunks > 0) {
      LOG.info("Draining: waiting for {} tasks and {} chunks", admittedTasks, runningChunks);
    }
    checkDrained();
  }

  private JsonObject status() {
    return new JsonObject()
        .put("workers", idleWorkers.size() + inFlight.size() + pulls.size())
        .put("busyWorkers", inFlight.size())
        .put("queued", queue.size())
        .put("runningChunks", runningChunks)
        .put("chunksDone", chunksDone);
  }
}
