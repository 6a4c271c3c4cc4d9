package io.parallax.compute;

import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one piece of work at a time on a worker thread. Deployed with {@code ThreadingModel.WORKER} on the
 * node's compute pool, one instance per worker.
 *
 * <p>It listens on a private address and tells the {@link WorkScheduler} it is ready; the scheduler sends it
 * work when it is idle (and, while a job's chunks run short, its next chunk just before it is idle).
 *
 * <p>Work: {@code {"task", "params", "timeoutMs"}} for a whole task, {@code {"task", "job", "chunk", "timeoutMs"}}
 * for a chunk of a job, {@code {"ping": true}} to learn when everything sent before is through. Reply: the raw
 * result (a JSON object, or a Buffer) with headers {@code task}, {@code node}, {@code worker}, {@code millis},
 * {@code nanos} and {@code content-type}; failures as {@link Failure}.
 */
public final class ComputeWorker extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ComputeWorker.class);

  private final TaskRegistry registry;
  private final CancelledJobs cancelledJobs;
  private final String nodeId;
  private final String address;

  public ComputeWorker(TaskRegistry registry, CancelledJobs cancelledJobs, String nodeId, int index) {
    this.registry = registry;
    this.cancelledJobs = cancelledJobs;
    this.nodeId = nodeId;
    this.address = Addresses.worker(nodeId, index);
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(address, this::handle);
    return consumer.completion().onSuccess(ready -> announceReady());
  }

  private void announceReady() {
    vertx.eventBus().send(Addresses.WORKER_READY, new JsonObject().put("address", address),
        new DeliveryOptions().setLocalOnly(true));
  }

  private void handle(Message<JsonObject> message) {
    JsonObject work = message.body();
    if (work.getBoolean("ping", false)) {
      message.reply(new JsonObject()); // answered in turn: everything sent before it is through
      return;
    }
    String taskName = work.getString("task");
    long timeoutMillis = work.getLong("timeoutMs", 30_000L);
    yieldToEventLoops();
    long started = System.nanoTime();
    try {
      ComputeTask task = registry.find(taskName)
          .orElseThrow(() -> new TaskException(ErrorCode.UNKNOWN_TASK, "no task named '" + taskName + "'"));
      TaskResult result = run(task, work, timeoutMillis);
      reply(message, taskName, result, System.nanoTime() - started);
    } catch (FailureException expected) {
      expected.failure().failMessage(message);
    } catch (Throwable crash) {
      // Even an Error such as StackOverflowError fails only this request; the worker keeps serving.
      LOG.warn("Task {} failed on worker {}", taskName, address, crash);
      Failure.of(ErrorCode.TASK_FAILED, taskName + " failed: " + shortDescription(crash)).failMessage(message);
    }
  }

  /**
   * Compute threads run at the lowest Java priority, so that under full load the operating system prefers the
   * event loops that answer requests. The JVM passes priorities on to Linux only with
   * {@code -XX:ThreadPriorityPolicy=1} (which {@code bin/parallax} sets); otherwise this changes nothing.
   */
  private static void yieldToEventLoops() {
    Thread current = Thread.currentThread();
    if (current.getPriority() != Thread.MIN_PRIORITY) {
      current.setPriority(Thread.MIN_PRIORITY);
    }
  }

  private TaskResult run(ComputeTask task, JsonObject work, long timeoutMillis) throws Exception {
    String jobId = work.getString("job");
    TaskContext context = new DeadlineContext(timeoutMillis, cancelledJobs, jobId);
    // Parameters were validated where the work was admitted (scheduler or job coordinator), and chunks are
    // made by the task's own split: workers run them as they come.
    if (jobId == null) {
      return task.run(work.getJsonObject("params"), context);
    }
    if (!(task instanceof SplittableTask splittable)) {
      // A job of a task that cannot be split has one chunk: its parameters.
      return task.run(work.getJsonObject("chunk"), context);
    }
    return splittable.runChunk(work.getJsonObject("chunk"), context);
  }

  private void reply(Message<JsonObject> message, String taskName, TaskResult result, long nanos) {
    DeliveryOptions headers = new DeliveryOptions()
        .addHeader(Addresses.HEADER_CONTENT_TYPE, result.mediaType())
        .addHeader(Addresses.HEADER_TASK, taskName)
        .addHeader(Addresses.HEADER_NODE, nodeId)
        .addHeader(Addresses.HEADER_WORKER, address)
        .addHeader(Addresses.HEADER_MILLIS, Long.toString(nanos / 1_000_000L))
        .addHeader(Addresses.HEADER_NANOS, Long.toString(nanos));
    message.reply(result.isBinary() ? result.binary() : result.json(), headers);
  }

  private static String shortDescription(Throwable crash) {
    String text = crash.getClass().getSimpleName();
    if (crash.getMessage() != null) {
      text += ": " + crash.getMessage();
    }
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
