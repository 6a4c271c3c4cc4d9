package io.parallax.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.compute.tasks.MandelbrotTask;
import io.parallax.compute.tasks.Pbkdf2BatchTask;
import io.parallax.compute.tasks.PrimesTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Splitting tasks into chunks")
class SplittingTest {

  private static JsonObject validated(ComputeTask task, JsonObject raw) {
    return TaskRegistry.of(List.of(task)).validate(task, raw);
  }

  @ParameterizedTest(name = "{0} chunks")
  @ValueSource(ints = {1, 2, 3, 64, 1000})
  @DisplayName("primes: contiguous, non-empty ranges that cover [from, to) exactly")
  void primeRanges(int chunks) {
    PrimesTask task = new PrimesTask();
    List<JsonObject> ranges = task.split(validated(task, new JsonObject().put("from", 17).put("to", 1_017)), chunks);
    assertThat(ranges).hasSize(Math.min(chunks, 1_000));
    long expectedFrom = 17;
    for (JsonObject range : ranges) {
      assertThat(range.getLong("from")).isEqualTo(expectedFrom);
      assertThat(range.getLong("to")).isGreaterThan(range.getLong("from"));
      expectedFrom = range.getLong("to");
    }
    assertThat(expectedFrom).isEqualTo(1_017);
  }

  @ParameterizedTest(name = "{0} chunks")
  @ValueSource(ints = {1, 2, 5, 64, 10_000})
  @DisplayName("mandelbrot: at most the asked number of tiles, covering every pixel exactly once")
  void mandelbrotTiles(int chunks) {
    MandelbrotTask task = new MandelbrotTask();
    JsonObject params = validated(task, new JsonObject().put("width", 37).put("height", 23));
    List<JsonObject> tiles = task.split(params, Math.min(chunks, task.maxChunks(params)));
    assertThat(tiles.size()).isBetween(1, chunks);
    int[] covered = new int[37 * 23];
    for (JsonObject tile : tiles) {
      JsonObject described = task.describeChunk(tile);
      assertThat(described.fieldNames()).containsExactlyInAnyOrder("x", "y", "width", "height");
      for (int y = described.getInteger("y"); y < described.getInteger("y") + described.getInteger("height"); y++) {
        for (int x = described.getInteger("x"); x < described.getInteger("x") + described.getInteger("width"); x++) {
          covered[y * 37 + x]++;
        }
      }
    }
    assertThat(covered).containsOnly(1);
  }

  @Test
  @DisplayName("pbkdf2-batch: contiguous slices in input order, and enough chunks by default for big batches")
  void passwordSlices() {
    Pbkdf2BatchTask task = new Pbkdf2BatchTask();
    JsonArray passwords = new JsonArray();
    for (int i = 0; i < 10; i++) {
      passwords.add("p" + i);
    }
    JsonObject params = validated(task, new JsonObject().put("passwords", passwords));
    List<JsonObject> slices = task.split(params, 3);
    assertThat(slices.stream().flatMap(slice -> slice.getJsonArray("passwords").stream()).toList())
        .isEqualTo(passwords.getList());
    JsonArray many = new JsonArray();
    for (int i = 0; i < 10_000; i++) {
      many.add("p");
    }
    // 10,000 passwords at 600,000 iterations: far more than 4 chunks per worker, so no chunk runs for minutes.
    assertThat(task.defaultChunks(validated(task, new JsonObject().put("passwords", many)), 2)).isEqualTo(300);
  }

  @Test
  @DisplayName("primes: four chunks per worker, or about 10^9 numbers per chunk for wide ranges")
  void primeChunksByDefault() {
    PrimesTask task = new PrimesTask();
    assertThat(task.defaultChunks(validated(task, new JsonObject().put("to", 1_000_000)), 2)).isEqualTo(8);
    assertThat(task.defaultChunks(validated(task, new JsonObject().put("to", 100_000_000_000L)), 2)).isEqualTo(94);
  }
}
