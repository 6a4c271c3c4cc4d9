package io.parallax.jobs;

import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.parallax.compute.ComputeTask;
import io.parallax.compute.SplittableTask;
import io.parallax.compute.TaskRegistry;
import io.parallax.compute.TaskResult;
import io.parallax.config.ParallaxConfig.JobLimits;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs: splits each into chunks, feeds them to the {@code WorkScheduler} a few at a time, retries
 * failed chunks, merges the results, and publishes progress on {@code parallax.jobs.<id>}.
 *
 * <p>It talks to the scheduler only over the event bus and keeps at most a small window of chunks per job
 * outstanding there, so the scheduler's lanes stay short and several jobs share the workers fairly.
 * Statuses and results go to a {@link JobStore}. Runs on one event loop; merges run on a worker executor.
 */
public final class JobCoordinator extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(JobCoordinator.class);

  public static final int MAX_CHUNKS = 10_000;
  /** JSON results up to this size travel inside the final progress event; larger ones are fetched. */
  static final int MAX_RESULT_IN_EVENT = 64 * 1024;
  private static final long CHUNK_REPLY_TIMEOUT_MILLIS = TimeUnit.HOURS.toMillis(1);
  private static final long EVICTION_PERIOD_MILLIS = 5_000;

  private final TaskRegistry registry;
  private final JobStore store;
  private final JobLimits limits;
  private final int workersInReach;

  private final Map<String, Job> active = new LinkedHashMap<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<Job> finished = new ArrayDeque<>();
  private final List<Message<?>> drainWaiters = new ArrayList<>();
  private WorkerExecutor mergeExecutor;
  private int running;
  private boolean draining;

  public JobCoordinator(TaskRegistry registry, JobStore store, JobLimits limits, int workersInReach) {
    this.registry = registry;
    this.store = store;
    this.limits = limits;
    this.workersInReach = workersInReach;
  }

  @Override
  public Future<?> start() {
    mergeExecutor = vertx.createSharedWorkerExecutor("parallax-merge", 1, 10, TimeUnit.MINUTES);
    vertx.setPeriodic(EVICTION_PERIOD_MILLIS, id -> evictFinished());
    EventBus bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.JOBS_SUBMIT, this::submit).completion(),
        bus.<JsonObject>consumer(Addresses.JOBS_CANCEL, this::cancel).completion(),
        bus.localConsumer(Addresses.JOBS_DRAIN, this::drain).completion());
  }

  @Override
  public Future<?> stop() {
    return mergeExecutor.close();
  }

  // ---- submission ---------------------------------------------------------------------------------------

  private void submit(Message<JsonObject> request) {
    try {
      Job job = newJob(request.body());
      active.put(job.id, job);
      waiting.add(job);
      store.saveStatus(job.status());
      request.reply(new JsonObject().put("id", job.id).put("state", job.state.name())
          .put("chunks", new JsonObject().put("total", job.total())));
      LOG.info("Job {} accepted: {} in {} chunks", job.id, job.task.name(), job.total());
      startWaitingJobs();
    } catch (FailureException rejected) {
      rejected.failure().failMessage(request);
    } catch (ClassCastException wrongType) {
      Failure.of(ErrorCode.INVALID_PARAM, "a job is {\"task\": string, \"params\": object, \"chunks\": integer}")
          .failMessage(request);
    }
  }

  private Job newJob(JsonObject spec) {
    if (draining) {
      throw new FailureException(Failure.of(ErrorCode.DRAINING, "node is shutting down"));
    }
    if (spec == null || spec.getString("task") == null) {
      throw new FailureException(Failure.invalidParam("task", "task is required"));
    }
    String taskName = spec.getString("task");
    ComputeTask task = registry.find(taskName).orElseThrow(() ->
        new FailureException(Failure.of(ErrorCode.UNKNOWN_TASK, "no task named '" + taskName + "'")));
    JsonObject params = registry.validate(task, spec.getJsonObject("params", new JsonObject()));
    List<JsonObject> chunks = chunksOf(task, params, requestedChunks(spec));
    int pendingChunks = active.values().stream().mapToInt(Job::remaining).sum();
    if (active.size() >= limits.maxRunning() + limits.maxQueued()) {
      throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
          "node is at its limit of " + (limits.maxRunning() + limits.maxQueued()) + " running or queued jobs"));
    }
    if (pendingChunks + chunks.size() > limits.maxQueuedChunks()) {
      throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
          "node is at its limit of " + limits.maxQueuedChunks() + " chunks waiting to be computed"));
    }
    return new Job(UUID.randomUUID().toString(), task, params, chunks);
  }

  private static Integer requestedChunks(JsonObject spec) {
    Object chunks = spec.getValue("chunks");
    if (chunks == null) {
      return null;
    }
    if (!(chunks instanceof Integer || chunks instanceof Long) || ((Number) chunks).longValue() < 1
        || ((Number) chunks).longValue() > MAX_CHUNKS) {
      throw new FailureException(Failure.invalidParam("chunks", "chunks must be an integer between 1 and " + MAX_CHUNKS));
    }
    return ((Number) chunks).intValue();
  }

  private List<JsonObject> chunksOf(ComputeTask task, JsonObject params, Integer requested) {
    if (!(task instanceof SplittableTask splittable)) {
      if (requested != null && requested > 1) {
        throw new FailureException(Failure.invalidParam("chunks", "task " + task.name() + " cannot be split: "
            + "chunks must be 1"));
      }
      return List.of(params);
    }
    int wanted = requested != null ? requested : splittable.defaultChunks(params, workersInReach);
    int count = Math.max(1, Math.min(Math.min(wanted, MAX_CHUNKS), splittable.maxChunks(params)));
    return splittable.split(params, count);
  }

  // ---- running ------------------------------------------------------------------------------------------

  private void startWaitingJobs() {
    while (running < limits.maxRunning() && !waiting.isEmpty()) {
      Job job = waiting.poll();
      job.state = JobState.RUNNING;
      job.startedAt = Instant.now();
      running++;
      store.saveStatus(job.status());
      feed(job);
    }
  }

  /**
   * Keeps a few chunks of the job at the scheduler: enough to keep every worker busy, few enough that the
   * scheduler's lanes stay short and other jobs get their turn.
   */
  private void feed(Job job) {
    int window = 2 * workersInReach;
    while (job.state == JobState.RUNNING && job.outstanding < window && job.hasChunkToSend()) {
      send(job, job.takeChunkToSend());
    }
  }

  private void send(Job job, int index) {
    job.attempts[index]++;
    job.outstanding++;
    JsonObject work = new JsonObject()
        .put("job", job.id)
        .put("index", index)
        .put("task", job.task.name())
        .put("chunk", job.chunks.get(index))
        .put("timeoutMs", limits.chunkTimeoutMillis());
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(CHUNK_REPLY_TIMEOUT_MILLIS);
    if (job.lastWorker[index] != null) {
      options.addHeader(Addresses.HEADER_AVOID, job.lastWorker[index]);
    }
    vertx.eventBus().request(Addresses.SCHEDULER_CHUNK, work, options)
        .onComplete(outcome -> chunkReturned(job, index, outcome));
  }

  private void chunkReturned(Job job, int index, AsyncResult<Message<Object>> outcome) {
    job.outstanding--;
    if (job.state != JobState.RUNNING) {
      return; // cancelled or failed meanwhile: late results change nothing
    }
    if (outcome.succeeded()) {
      chunkSucceeded(job, index, outcome.result());
    } else {
      chunkFailed(job, index, outcome.cause());
    }
    if (job.state == JobState.RUNNING) {
      store.saveStatus(job.status());
    }
  }

  private void chunkSucceeded(Job job, int index, Message<Object> reply) {
    if (job.results[index] != null) {
      return; // computed twice (a retry raced a slow first attempt): count it once
    }
    job.results[index] = reply.body() instanceof Buffer bytes
        ? new TaskResult(null, bytes, reply.headers().get(Addresses.HEADER_CONTENT_TYPE))
        : TaskResult.json((JsonObject) reply.body());
    job.done++;
    String node = reply.headers().get(Addresses.HEADER_NODE);
    job.chunksByNode.merge(node, 1, Integer::sum);
    JsonObject event = new JsonObject()
        .put("type", "chunk")
        .put("id", job.id)
        .put("index", index)
        .put("node", node)
        .put("millis", Long.parseLong(reply.headers().get(Addresses.HEADER_MILLIS)))
        .put("done", job.done)
        .put("total", job.total());
    if (job.task instanceof SplittableTask splittable) {
      event.mergeIn(splittable.describeChunk(job.chunks.get(index)));
    }
    vertx.eventBus().publish(Addresses.jobEvents(job.id), event);
    if (job.done == job.total()) {
      merge(job);
    } else {
      feed(job);
    }
  }

  private void chunkFailed(Job job, int index, Throwable cause) {
    Failure failure = Failure.from(cause);
    if (failure.code() == ErrorCode.CANCELLED) {
      return;
    }
    job.failed++;
    if (failure.code() == ErrorCode.INVALID_PARAM || failure.code() == ErrorCode.UNKNOWN_TASK) {
      finish(job, JobState.FAILED, failure); // the task itself says the input is wrong: retrying cannot help
      return;
    }
    if (job.attempts[index] <= limits.chunkRetries()) {
      job.retried++;
      job.lastWorker[index] = failedWorker(cause);
      job.retries.add(index);
      LOG.info("Job {} chunk {} failed ({}); retrying", job.id, index, failure.message());
      feed(job);
    } else {
      finish(job, JobState.FAILED, Failure.of(failure.code(), "chunk " + index + " failed after "
          + job.attempts[index] + " attempts: " + failure.message()));
    }
  }

  private static String failedWorker(Throwable cause) {
    if (cause instanceof ReplyException reply && reply.getMessage() != null && reply.getMessage().startsWith("{")) {
      try {
        return new JsonObject(reply.getMessage()).getString("worker");
      } catch (RuntimeException notJson) {
        return null;
      }
    }
    return null;
  }

  private void merge(Job job) {
    if (!(job.task instanceof SplittableTask splittable)) {
      succeed(job, job.results[0]);
      return;
    }
    List<TaskResult> results = Arrays.asList(job.results);
    mergeExecutor.executeBlocking(() -> splittable.merge(job.params, job.chunks, results), false)
        .onSuccess(merged -> succeed(job, merged))
        .onFailure(crash -> {
          LOG.warn("Merging job {} failed", job.id, crash);
          finish(job, JobState.FAILED, Failure.of(ErrorCode.TASK_FAILED, "merging the chunks failed: "
              + crash.getClass().getSimpleName()));
        });
  }

  private void succeed(Job job, TaskResult result) {
    if (job.state != JobState.RUNNING) {
      return;
    }
    job.result = result;
    Arrays.fill(job.results, null);
    store.saveResult(job.id, result);
    finish(job, JobState.SUCCEEDED, null);
  }

  private void finish(Job job, JobState state, Failure error) {
    boolean wasRunning = job.state == JobState.RUNNING;
    job.state = state;
    job.error = error;
    job.finishedAt = Instant.now();
    if (wasRunning) {
      running--;
    } else {
      waiting.remove(job);
    }
    active.remove(job.id);
    finished.add(job);
    Arrays.fill(job.results, null);
    JsonObject status = job.status();
    store.saveStatus(status);
    vertx.eventBus().publish(Addresses.jobEvents(job.id), finalEvent(job, status));
    LOG.info("Job {} {} after {} ms ({} chunks, {} retried)", job.id, state, job.millis(), job.total(), job.retried);
    evictFinished();
    startWaitingJobs();
    checkDrained();
  }

  private static JsonObject finalEvent(Job job, JsonObject status) {
    String type = switch (job.state) {
      case SUCCEEDED -> "done";
      case CANCELLED -> "cancelled";
      default -> "failed";
    };
    JsonObject event = status.copy().put("type", type);
    if (event.containsKey("result") && event.getJsonObject("result").encode().length() > MAX_RESULT_IN_EVENT) {
      event.remove("result");
      event.put("resultOmitted", true);
    }
    return event;
  }

  // ---- cancellation, eviction, drain -------------------------------------------------------------------

  private void cancel(Message<JsonObject> request) {
    String id = request.body() == null ? null : request.body().getString("id");
    Job job = id == null ? null : active.get(id);
    if (job == null) {
      store.status(id == null ? "" : id).onComplete(found -> {
        if (found.succeeded() && found.result() != null) {
          request.reply(found.result()); // already finished: cancelling changes nothing
        } else {
          Failure.of(ErrorCode.NOT_FOUND, "no job " + id).failMessage(request);
        }
      });
      return;
    }
    if (job.state == JobState.RUNNING) {
      vertx.eventBus().publish(Addresses.JOBS_CANCELLED, new JsonObject().put("id", id));
    }
    finish(job, JobState.CANCELLED, null);
    request.reply(job.status());
  }

  private void evictFinished() {
    Instant expiry = Instant.now().minusMillis(limits.retentionMillis());
    while (!finished.isEmpty()
        && (finished.size() > limits.maxFinished() || finished.peek().finishedAt.isBefore(expiry))) {
      store.remove(finished.poll().id);
    }
  }

  private void drain(Message<Object> request) {
    draining = true;
    drainWaiters.add(request);
    checkDrained();
  }

  private void checkDrained() {
    if (draining && active.isEmpty()) {
      drainWaiters.forEach(waiter -> waiter.reply(null));
      drainWaiters.clear();
    }
  }
}
