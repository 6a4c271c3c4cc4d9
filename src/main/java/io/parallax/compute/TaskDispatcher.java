package io.parallax.compute;

import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's front door for tasks: consumes {@code parallax.task.<name>}, admits at most a bounded number
 * of tasks (queued plus running), and hands each to a worker only when that worker is idle.
 *
 * <p>Admission answers at once: invalid parameters fail with 400, a full node with 503 {@code QUEUE_FULL},
 * a draining node with 503 {@code DRAINING}. A task's timeout covers its wait in the queue and its run.
 * Runs on one event loop, so its state needs no locks.
 */
public final class TaskDispatcher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TaskDispatcher.class);

  /** Extra time a worker gets past a task's deadline before the dispatcher gives up on it. */
  private static final long WORKER_GRACE_MILLIS = 5_000;

  private final TaskRegistry registry;
  private final DispatchSettings settings;

  private final ArrayDeque<String> idleWorkers = new ArrayDeque<>();
  private final Set<String> busyWorkers = new HashSet<>();
  private final ArrayDeque<PendingTask> queue = new ArrayDeque<>();
  private final List<Message<?>> drainWaiters = new ArrayList<>();
  private int admitted;
  private boolean draining;

  /** The bounds the dispatcher enforces. */
  public record DispatchSettings(int maxAdmitted, long defaultTimeoutMillis, long maxTimeoutMillis) {
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

  public TaskDispatcher(TaskRegistry registry, DispatchSettings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    List<Future<Void>> registrations = new ArrayList<>();
    for (ComputeTask task : registry.all()) {
      registrations.add(bus.<JsonObject>consumer(Addresses.task(task.name()), msg -> admit(task, msg)).completion());
    }
    registrations.add(bus.<JsonObject>localConsumer(Addresses.WORKER_READY, this::workerReady).completion());
    registrations.add(bus.localConsumer(Addresses.DISPATCH_STATUS, msg -> msg.reply(status())).completion());
    registrations.add(bus.localConsumer(Addresses.DISPATCH_DRAIN, this::drain).completion());
    return Future.all(registrations);
  }

  private void admit(ComputeTask task, Message<JsonObject> request) {
    try {
      if (draining) {
        throw new FailureException(Failure.of(ErrorCode.DRAINING, "node is shutting down"));
      }
      JsonObject params = registry.validate(task, request.body() == null ? new JsonObject() : request.body());
      long timeoutMillis = timeoutOf(request);
      if (admitted >= settings.maxAdmitted()) {
        throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
            "node is at its limit of " + settings.maxAdmitted() + " queued or running tasks"));
      }
      admitted++;
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

  private long timeoutOf(Message<?> request) {
    String header = request.headers().get(Addresses.HEADER_TIMEOUT);
    if (header == null) {
      return settings.defaultTimeoutMillis();
    }
    long timeout;
    try {
      timeout = Long.parseLong(header.trim());
    } catch (NumberFormatException notANumber) {
      timeout = -1;
    }
    if (timeout < 1 || timeout > settings.maxTimeoutMillis()) {
      throw new FailureException(Failure.invalidParam("timeout",
          "timeout must be between 1 and " + settings.maxTimeoutMillis() + " ms"));
    }
    return timeout;
  }

  private void expireQueued(PendingTask pending) {
    if (queue.remove(pending)) {
      Failure.of(ErrorCode.TIMEOUT, "task waited in the queue past its timeout of " + pending.timeoutMillis + " ms")
          .failMessage(pending.request);
      finished();
    }
  }

  private void dispatchWhilePossible() {
    while (!idleWorkers.isEmpty() && !queue.isEmpty()) {
      PendingTask pending = queue.poll();
      vertx.cancelTimer(pending.expiryTimer);
      runOn(idleWorkers.poll(), pending);
    }
  }

  private void runOn(String worker, PendingTask pending) {
    busyWorkers.add(worker);
    long remaining = pending.remainingMillis();
    JsonObject work = new JsonObject()
        .put("task", pending.taskName)
        .put("params", pending.params)
        .put("timeoutMs", remaining);
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(remaining + WORKER_GRACE_MILLIS);
    vertx.eventBus().request(worker, work, options).onComplete(outcome -> {
      busyWorkers.remove(worker);
      if (outcome.succeeded()) {
        Message<Object> reply = outcome.result();
        pending.request.reply(reply.body(), new DeliveryOptions().setHeaders(reply.headers()));
        idleWorkers.add(worker);
      } else if (outcome.cause() instanceof ReplyException failure
          && failure.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        Failure.from(failure).failMessage(pending.request);
        idleWorkers.add(worker);
      } else {
        // The worker did not answer in time (or is gone): keep it out until it says it is ready again.
        LOG.warn("Worker {} did not answer a {} task in time; holding it back until it reports ready", worker,
            pending.taskName);
        Failure.of(ErrorCode.TIMEOUT, "task exceeded its timeout of " + pending.timeoutMillis + " ms")
            .failMessage(pending.request);
      }
      finished();
      dispatchWhilePossible();
    });
  }

  private void workerReady(Message<JsonObject> announcement) {
    String worker = announcement.body().getString("address");
    if (worker != null && !busyWorkers.contains(worker) && !idleWorkers.contains(worker)) {
      idleWorkers.add(worker);
      LOG.debug("Worker {} ready", worker);
      dispatchWhilePossible();
    }
  }

  private void finished() {
    admitted--;
    if (admitted == 0 && draining) {
      drainWaiters.forEach(waiter -> waiter.reply(status()));
      drainWaiters.clear();
    }
  }

  private void drain(Message<Object> request) {
    draining = true;
    if (admitted == 0) {
      request.reply(status());
    } else {
      LOG.info("Draining: waiting for {} queued or running tasks", admitted);
      drainWaiters.add(request);
    }
  }

  private JsonObject status() {
    return new JsonObject()
        .put("workers", idleWorkers.size() + busyWorkers.size())
        .put("busyWorkers", busyWorkers.size())
        .put("queued", queue.size());
  }
}
