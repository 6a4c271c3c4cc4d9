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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs this node owns: splits each into chunks and hands them out one at a time to the workers
 * that ask (any node's scheduler pulls when it has an idle worker), retries failed chunks, merges the
 * results, and publishes progress on {@code parallax.jobs.<id>}.
 *
 * <p>Everything another node needs lives in the {@link JobStore}: when a node leaves or crashes, every
 * survivor tries to {@link JobStore#claim claim} its jobs, exactly one wins each, reloads the chunks already
 * computed and carries on; chunks the lost node was computing go back in line at once. A chunk computed
 * twice counts once. Runs on one event loop; merges run on a worker executor.
 */
public final class JobCoordinator extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(JobCoordinator.class);

  public static final int MAX_CHUNKS = 10_000;
  /** JSON results up to this size travel inside the final progress event; larger ones are fetched. */
  static final int MAX_RESULT_IN_EVENT = 64 * 1024;
  private static final long REPLY_GRACE_MILLIS = 10_000;
  private static final long ANNOUNCE_PERIOD_MILLIS = 1_000;
  private static final long EVICTION_PERIOD_MILLIS = 5_000;
  private static final long WORKER_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final JsonObject NO_WORK = new JsonObject().put("none", true);

  private final TaskRegistry registry;
  private final JobStore store;
  private final JobLimits limits;
  private final String nodeId;
  private final IntSupplier workersInReach;

  private final Map<String, Job> active = new LinkedHashMap<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<Job> running = new ArrayDeque<>();
  /** Finished jobs this node evicts in time, its own and those it took over: the oldest first. */
  private final PriorityQueue<Finished> finished = new PriorityQueue<>(Comparator.comparing(Finished::at));
  private final Map<String, Long> workersSeen = new HashMap<>();
  private final List<Message<?>> drainWaiters = new ArrayList<>();
  private WorkerExecutor mergeExecutor;
  private boolean draining;
  private boolean warnedOfPublishedJobs;

  private record Finished(String id, Instant at) {
  }

  public JobCoordinator(TaskRegistry registry, JobStore store, JobLimits limits, String nodeId,
                        IntSupplier workersInReach) {
    this.registry = registry;
    this.store = store;
    this.limits = limits;
    this.nodeId = nodeId;
    this.workersInReach = workersInReach;
  }

  @Override
  public Future<?> start() {
    mergeExecutor = vertx.createSharedWorkerExecutor("parallax-merge", 1, 10, TimeUnit.MINUTES);
    vertx.setPeriodic(ANNOUNCE_PERIOD_MILLIS, id -> announceWorkIfAny());
    vertx.setPeriodic(EVICTION_PERIOD_MILLIS, id -> evictFinished());
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(Addresses.JOBS_SUBMIT, this::submit).completion(),
        bus.<JsonObject>consumer(Addresses.jobsCancel(nodeId), this::cancel).completion(),
        bus.<JsonObject>consumer(Addresses.JOBS_STATUS, this::status).completion(),
        bus.<JsonObject>consumer(Addresses.jobsPull(nodeId), this::handOutChunk).completion(),
        bus.<JsonObject>localConsumer(Addresses.CLUSTER_MEMBER_LEFT, this::memberLeft).completion(),
        bus.<JsonObject>localConsumer(Addresses.CLUSTER_ORPHANS, this::orphansFound).completion(),
        bus.localConsumer(Addresses.JOBS_DRAIN, this::drain).completion()));
  }

  @Override
  public Future<?> stop() {
    return mergeExecutor.close();
  }

  // ---- submission ---------------------------------------------------------------------------------------

  private void submit(Message<JsonObject> request) {
    if (!request.isSend()) {
      // Every node's coordinator hears a publish: accepting it would start one copy of the job per node.
      if (!warnedOfPublishedJobs) {
        warnedOfPublishedJobs = true;
        LOG.warn("Ignored a job published to {}: jobs are submitted with send (request-reply); further published"
            + " jobs are ignored without a word", Addresses.JOBS_SUBMIT);
      }
      return;
    }
    Job job;
    try {
      job = newJob(request.body());
    } catch (FailureException rejected) {
      rejected.failure().failMessage(request);
      return;
    } catch (ClassCastException wrongType) {
      Failure.of(ErrorCode.INVALID_PARAM, "a job is {\"task\": string, \"params\": object, \"chunks\": integer}")
          .failMessage(request);
      return;
    }
    // Counted against the bounds at once; answered only once recorded, so that the id the caller gets can
    // be read back from any node straight away.
    active.put(job.id, job);
    Future.all(store.saveSpec(job.spec()), store.saveStatus(job.status())).onComplete(recorded -> {
      if (recorded.failed()) {
        active.remove(job.id);
        LOG.error("Job {} could not be recorded: {}", job.id, recorded.cause().getMessage());
        Failure.of(ErrorCode.INTERNAL, "the job could not be recorded").failMessage(request);
        checkDrained();
        return;
      }
      request.reply(new JsonObject().put("id", job.id).put("state", job.state.name())
          .put("chunks", new JsonObject().put("total", job.total())));
      LOG.info("Job {} accepted: {} in {} chunks", job.id, job.task.name(), job.total());
      waiting.add(job);
      startWaitingJobs();
    });
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
    if (active.size() >= limits.maxRunning() + limits.maxQueued()) {
      throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
          "node is at its limit of " + (limits.maxRunning() + limits.maxQueued()) + " running or queued jobs"));
    }
    int pendingChunks = active.values().stream().mapToInt(Job::remaining).sum();
    if (pendingChunks + chunks.size() > limits.maxQueuedChunks()) {
      throw new FailureException(Failure.of(ErrorCode.QUEUE_FULL,
          "node is at its limit of " + limits.maxQueuedChunks() + " chunks waiting to be computed"));
    }
    return new Job(UUID.randomUUID().toString(), task, params, chunks, nodeId);
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
    int wanted = requested != null ? requested : splittable.defaultChunks(params, workersInReach.getAsInt());
    int count = Math.max(1, Math.min(Math.min(wanted, MAX_CHUNKS), splittable.maxChunks(params)));
    return splittable.split(params, count);
  }

  // ---- handing out chunks -------------------------------------------------------------------------------

  private void startWaitingJobs() {
    boolean started = false;
    while (running.size() < limits.maxRunning() && !waiting.isEmpty()) {
      Job job = waiting.poll();
      job.state = JobState.RUNNING;
      if (job.startedAt == null) {
        job.startedAt = Instant.now();
      }
      running.add(job);
      saveStatus(job);
      started = true;
    }
    if (started) {
      announceWork();
    }
  }

  private void announceWork() {
    vertx.eventBus().publish(Addresses.JOBS_WORK, new JsonObject().put("pull", Addresses.jobsPull(nodeId)));
  }

  /** Repeated while chunks wait, for schedulers that were busy or that joined since. */
  private void announceWorkIfAny() {
    if (running.stream().anyMatch(Job::hasChunkToHandOut)) {
      announceWork();
    }
  }

  /**
   * A scheduler asks for a chunk for one of its idle workers. Running jobs take turns; a chunk that failed
   * on a worker goes to another one where another one exists.
   */
  private void handOutChunk(Message<JsonObject> ask) {
    String worker = ask.body().getString("worker");
    String node = ask.body().getString("node");
    long now = System.nanoTime();
    workersSeen.put(worker, now);
    workersSeen.values().removeIf(seen -> now - seen > WORKER_MEMORY_NANOS);
    boolean otherWorkersExist = workersSeen.size() > 1;
    for (int turns = running.size(); turns > 0; turns--) {
      Job job = running.poll();
      running.add(job); // to the back: jobs take turns
      Integer index = job.takeChunkFor(i -> otherWorkersExist && worker.equals(job.lastFailedWorker[i]));
      if (index != null) {
        assign(job, index, node, worker, ask);
        return;
      }
    }
    ask.reply(NO_WORK);
  }

  private void assign(Job job, int index, String node, String worker, Message<JsonObject> ask) {
    job.attempts[index]++;
    long token = ++job.nextToken;
    job.assigned.put(index, new Job.Assignment(node, worker, token));
    JsonObject work = new JsonObject()
        .put("job", job.id)
        .put("index", index)
        .put("task", job.task.name())
        .put("chunk", job.chunks.get(index))
        .put("timeoutMs", limits.chunkTimeoutMillis());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(limits.chunkTimeoutMillis() + REPLY_GRACE_MILLIS);
    ask.replyAndRequest(work, options).onComplete(outcome -> chunkReturned(job, index, token, outcome));
  }

  private void chunkReturned(Job job, int index, long token, AsyncResult<Message<Object>> outcome) {
    Job.Assignment assignment = job.assigned.get(index);
    boolean current = assignment != null && assignment.token() == token;
    if (current) {
      job.assigned.remove(index);
    }
    if (job.state != JobState.RUNNING) {
      return; // cancelled, failed or handed over meanwhile: late answers change nothing
    }
    if (outcome.succeeded()) {
      chunkSucceeded(job, index, outcome.result()); // even a stale success is a valid result
    } else if (current) {
      chunkFailed(job, index, outcome.cause());
    }
    if (job.state == JobState.RUNNING) {
      saveStatus(job);
    }
  }

  private void chunkSucceeded(Job job, int index, Message<Object> reply) {
    if (job.results[index] != null) {
      return; // computed twice (a retry raced a slow first attempt): count it once
    }
    job.pending.remove(index);
    job.retries.remove(index);
    TaskResult result = reply.body() instanceof Buffer bytes
        ? new TaskResult(null, bytes, reply.headers().get(Addresses.HEADER_CONTENT_TYPE))
        : TaskResult.json((JsonObject) reply.body());
    job.results[index] = result;
    job.done++;
    store.saveChunkResult(job.id, index, result);
    String node = reply.headers().get(Addresses.HEADER_NODE);
    job.chunksByNode.merge(node, 1, Integer::sum);
    long millis = Long.parseLong(reply.headers().get(Addresses.HEADER_MILLIS));
    String nanos = reply.headers().get(Addresses.HEADER_NANOS); // absent from nodes of older versions
    job.workNanos += nanos == null ? millis * 1_000_000L : Long.parseLong(nanos);
    JsonObject event = new JsonObject()
        .put("type", "chunk")
        .put("id", job.id)
        .put("index", index)
        .put("node", node)
        .put("millis", millis)
        .put("done", job.done)
        .put("total", job.total());
    if (job.task instanceof SplittableTask splittable) {
      event.mergeIn(splittable.describeChunk(job.chunks.get(index)));
    }
    vertx.eventBus().publish(Addresses.jobEvents(job.id), event);
    if (job.done == job.total()) {
      merge(job);
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
      job.lastFailedWorker[index] = failedWorker(cause);
      job.retries.add(index);
      LOG.info("Job {} chunk {} failed ({}); retrying", job.id, index, failure.message());
      announceWork();
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

  /** A job's result, with whether it fits in the final event (a big result takes long to encode). */
  private record Merged(TaskResult result, boolean fitsInEvent) {
  }

  /** Merges (and measures) on the merge pool: a big result would hold up the event loop. */
  private void merge(Job job) {
    List<TaskResult> results = List.copyOf(Arrays.asList(job.results)); // cancelling clears job.results
    mergeExecutor.executeBlocking(() -> {
      TaskResult merged = job.task instanceof SplittableTask splittable
          ? splittable.merge(job.params, job.chunks, results)
          : results.get(0);
      return new Merged(merged, merged.isBinary() || merged.json().encode().length() <= MAX_RESULT_IN_EVENT);
    }, false)
        .onSuccess(merged -> succeed(job, merged))
        .onFailure(crash -> {
          LOG.warn("Merging job {} failed", job.id, crash);
          finish(job, JobState.FAILED, Failure.of(ErrorCode.TASK_FAILED, "merging the chunks failed: "
              + crash.getClass().getSimpleName()));
        });
  }

  private void succeed(Job job, Merged merged) {
    if (job.state != JobState.RUNNING) {
      return;
    }
    job.result = merged.result();
    job.resultFitsInEvent = merged.fitsInEvent();
    store.saveResult(job.id, job.result).onComplete(saved -> finish(job, JobState.SUCCEEDED, null));
  }

  private void finish(Job job, JobState state, Failure error) {
    if (job.state.isFinished()) {
      return;
    }
    job.state = state;
    job.error = error;
    job.finishedAt = Instant.now();
    running.remove(job);
    waiting.remove(job);
    active.remove(job.id);
    finished.add(new Finished(job.id, job.finishedAt));
    Arrays.fill(job.results, null);
    job.assigned.clear();
    store.removeWorkingState(job.id, job.total());
    saveStatus(job);
    vertx.eventBus().publish(Addresses.jobEvents(job.id), finalEvent(job));
    LOG.info("Job {} {} after {} ms ({} chunks, {} retried)", job.id, state, job.millis(), job.total(), job.retried);
    evictFinished();
    startWaitingJobs();
    checkDrained();
  }

  private static JsonObject finalEvent(Job job) {
    String type = switch (job.state) {
      case SUCCEEDED -> "done";
      case CANCELLED -> "cancelled";
      default -> "failed";
    };
    JsonObject event = job.status().put("type", type);
    if (event.containsKey("result") && !job.resultFitsInEvent) {
      event.remove("result");
      event.put("resultOmitted", true);
    }
    return event;
  }

  /**
   * Writes the job's status, one write at a time: cluster map writes may complete out of order, and an
   * older status must never overwrite a newer one. Writes asked for meanwhile collapse into one.
   */
  private void saveStatus(Job job) {
    if (job.writingStatus) {
      job.statusDirty = true;
      return;
    }
    job.writingStatus = true;
    store.saveStatus(job.status()).onComplete(written -> {
      job.writingStatus = false;
      if (job.statusDirty) {
        job.statusDirty = false;
        saveStatus(job);
      }
    });
  }

  // ---- members leaving ----------------------------------------------------------------------------------

  private void memberLeft(Message<JsonObject> notice) {
    String lost = notice.body().getString("node");
    for (Job job : running) {
      List<Integer> requeued = new ArrayList<>();
      job.assigned.entrySet().removeIf(entry -> {
        if (lost.equals(entry.getValue().node())) {
          requeued.add(entry.getKey());
          return true;
        }
        return false;
      });
      if (!requeued.isEmpty()) {
        LOG.info("Job {}: {} chunks were on node {}, which left; back in line", job.id, requeued.size(), lost);
        job.retried += requeued.size();
        job.retries.addAll(requeued);
        saveStatus(job);
      }
    }
    announceWorkIfAny();
  }

  private void orphansFound(Message<JsonObject> notice) {
    if (!draining) {
      notice.body().getJsonArray("nodes").forEach(node -> takeOverJobsOf((String) node));
    }
  }

  /**
   * Every survivor tries; the store lets exactly one claim each job. Jobs still running are adopted and run
   * on; finished ones only need someone to evict them in time.
   */
  private void takeOverJobsOf(String lost) {
    store.specs().onSuccess(specs -> specs.stream()
        .filter(spec -> lost.equals(spec.getString("owner")))
        .forEach(spec -> store.claim(spec, nodeId).onSuccess(won -> {
          if (won) {
            adopt(spec.copy().put("owner", nodeId));
          }
        })));
    store.list(null, Integer.MAX_VALUE).onSuccess(statuses -> statuses.stream()
        .filter(status -> lost.equals(status.getString("coordinator")) && status.getString("finishedAt") != null)
        .forEach(status -> store.claimFinished(status, nodeId).onSuccess(won -> {
          if (won) {
            finished.add(new Finished(status.getString("id"), Instant.parse(status.getString("finishedAt"))));
          }
        })));
  }

  private void adopt(JsonObject spec) {
    String id = spec.getString("id");
    ComputeTask task = registry.find(spec.getString("task")).orElse(null);
    if (task == null || active.containsKey(id)) {
      return;
    }
    List<JsonObject> chunks = spec.getJsonArray("chunks").stream().map(JsonObject.class::cast).toList();
    Job job = new Job(id, task, spec.getJsonObject("params"), chunks, nodeId);
    store.status(id)
        .compose(status -> {
          restoreCounters(job, status);
          List<Future<TaskResult>> computed = new ArrayList<>();
          for (int i = 0; i < chunks.size(); i++) {
            computed.add(store.chunkResult(id, i));
          }
          return Future.join(computed).map(all -> computed);
        })
        .onComplete(loaded -> {
          if (loaded.succeeded()) {
            for (int i = 0; i < chunks.size(); i++) {
              TaskResult result = loaded.result().get(i).result();
              if (result != null) {
                job.results[i] = result;
                job.pending.remove(i);
                job.done++;
              }
            }
          }
          LOG.info("Took over job {} from a lost node: {} of {} chunks already computed", id, job.done, job.total());
          active.put(id, job);
          if (job.done == job.total()) {
            job.state = JobState.RUNNING;
            running.add(job);
            merge(job);
          } else {
            waiting.addFirst(job);
            startWaitingJobs();
          }
        });
  }

  private static void restoreCounters(Job job, JsonObject status) {
    if (status == null) {
      return;
    }
    job.createdAt = Instant.parse(status.getString("createdAt"));
    if (status.getString("startedAt") != null) {
      job.startedAt = Instant.parse(status.getString("startedAt"));
    }
    JsonObject chunks = status.getJsonObject("chunks");
    job.failed = chunks.getInteger("failed", 0);
    job.retried = chunks.getInteger("retried", 0);
    job.workNanos = status.getLong("workMillis", 0L) * 1_000_000L;
    JsonObject workers = status.getJsonObject("workers", new JsonObject());
    workers.forEach(entry -> job.chunksByNode.put(entry.getKey(), ((Number) entry.getValue()).intValue()));
  }

  // ---- cancellation, eviction, drain -------------------------------------------------------------------

  private void status(Message<JsonObject> request) {
    String id = request.body() == null ? null : request.body().getString("id");
    store.status(id == null ? "" : id).onComplete(found -> {
      if (found.succeeded() && found.result() != null) {
        request.reply(found.result());
      } else {
        Failure.of(ErrorCode.NOT_FOUND, "no job " + id).failMessage(request);
      }
    });
  }

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
    vertx.eventBus().publish(Addresses.JOBS_CANCELLED, new JsonObject().put("id", id));
    finish(job, JobState.CANCELLED, null);
    request.reply(job.status());
  }

  private void evictFinished() {
    Instant expiry = Instant.now().minusMillis(limits.retentionMillis());
    while (!finished.isEmpty()
        && (finished.size() > limits.maxFinished() || finished.peek().at().isBefore(expiry))) {
      store.remove(finished.poll().id());
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
