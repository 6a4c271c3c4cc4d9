package io.parallax.compute;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A task that a job can split into chunks, run on many workers, and merge. Merging the chunk results must
 * give exactly what {@link #run} gives for the same parameters.
 *
 * <p>Chunks are JSON objects made by {@link #split}; they travel over the event bus to workers (possibly on
 * other nodes) and come back as {@link TaskResult}s, JSON or binary.
 */
public interface SplittableTask extends ComputeTask {

  /**
   * Splits validated parameters into at most {@code chunks} (and at least one) chunk descriptions, in the
   * order their results are merged. Called on an event loop: it must be cheap.
   */
  List<JsonObject> split(JsonObject params, int chunks);

  /** Runs one chunk on a worker thread; call {@link TaskContext#checkpoint()} as in {@link #run}. */
  TaskResult runChunk(JsonObject chunk, TaskContext context) throws Exception;

  /**
   * Merges the chunk results, given in the order of {@link #split} together with the chunks they came from.
   * Runs on a worker thread.
   */
  TaskResult merge(JsonObject params, List<JsonObject> chunks, List<TaskResult> chunkResults) throws Exception;

  /** Extra fields for a chunk's progress event, such as a tile's position and size. */
  default JsonObject describeChunk(JsonObject chunk) {
    return new JsonObject();
  }

  /**
   * How many chunks a job gets when the caller does not say: by default four per worker in reach, so that
   * uneven chunks still keep every worker busy to the end.
   */
  default int defaultChunks(JsonObject params, int workersInReach) {
    return 4 * workersInReach;
  }

  /** The largest number of chunks these parameters can usefully be split into. */
  default int maxChunks(JsonObject params) {
    return Integer.MAX_VALUE;
  }
}
