package io.parallax.compute;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A CPU-heavy task that Parallax runs on its worker verticles.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.parallax.compute.ComputeTask} of a jar on the classpath. An implementation
 * must be stateless and thread-safe: one instance serves every worker thread.
 *
 * <p>{@link #run} is called on a worker thread, never on an event loop. It must call
 * {@link TaskContext#checkpoint()} in its inner loops (at least every ~10 ms of work) so that timeouts and
 * cancellation take effect promptly.
 */
public interface ComputeTask {

  /** The task's name: lower case letters, digits and dashes. Clients address it as {@code parallax.task.<name>}. */
  String name();

  /** One sentence for {@code GET /api/tasks}. */
  String description();

  /** The parameters the task accepts, with their types, defaults and bounds. */
  List<ParamSpec> params();

  /** The media type of the result: {@code application/json}, or the type of a binary result such as {@code image/png}. */
  default String resultType() {
    return TaskResult.JSON;
  }

  /**
   * Checks rules that span several parameters (for example {@code from < to}). Called after every
   * parameter has been checked against its own {@link ParamSpec}; throw {@link TaskException} to reject.
   */
  default void checkParams(JsonObject params) {
  }

  /** Runs the task on already validated parameters (defaults filled in). */
  TaskResult run(JsonObject params, TaskContext context) throws Exception;
}
