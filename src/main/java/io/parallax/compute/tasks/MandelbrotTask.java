package io.parallax.compute.tasks;

import io.parallax.compute.ParamSpec;
import io.parallax.compute.SplittableTask;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a region of the Mandelbrot set to a PNG image. As a job it splits into tiles, each rendered to raw
 * RGB pixels (4 bytes each, big-endian), merged into one image and encoded once.
 */
public final class MandelbrotTask implements SplittableTask {

  public static final String PNG = "image/png";

  private static final List<ParamSpec> PARAMS = List.of(
      ParamSpec.integer("width", 800L, 1, 4096, "image width in pixels"),
      ParamSpec.integer("height", 600L, 1, 4096, "image height in pixels"),
      ParamSpec.number("centerX", -0.5, -4, 4, "real part of the image centre"),
      ParamSpec.number("centerY", 0.0, -4, 4, "imaginary part of the image centre"),
      ParamSpec.number("scale", 0.004, 1e-15, 1, "complex-plane units per pixel"),
      ParamSpec.integer("maxIterations", 1000L, 1, 100_000, "iterations before a point counts as inside"));

  @Override
  public String name() {
    return "mandelbrot";
  }

  @Override
  public String description() {
    return "Renders a region of the Mandelbrot set to a PNG image.";
  }

  @Override
  public List<ParamSpec> params() {
    return PARAMS;
  }

  @Override
  public String resultType() {
    return PNG;
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    MandelbrotView view = view(params);
    int[] rgb = MandelbrotRenderer.pixels(view, 0, 0, view.width(), view.height(), context);
    return TaskResult.binary(PNG, MandelbrotRenderer.png(view.width(), view.height(), rgb));
  }

  /** A grid of near-square tiles, at most {@code chunks} of them, row by row. */
  @Override
  public List<JsonObject> split(JsonObject params, int chunks) {
    MandelbrotView view = view(params);
    int width = view.width();
    int height = view.height();
    int columns = (int) Math.max(1, Math.min(width, Math.round(Math.sqrt((double) chunks * width / height))));
    int rows = Math.max(1, Math.min(height, chunks / columns));
    List<JsonObject> tiles = new ArrayList<>(columns * rows);
    for (int row = 0; row < rows; row++) {
      int y0 = height * row / rows;
      int y1 = height * (row + 1) / rows;
      for (int column = 0; column < columns; column++) {
        int x0 = width * column / columns;
        int x1 = width * (column + 1) / columns;
        tiles.add(params.copy().put("x", x0).put("y", y0).put("w", x1 - x0).put("h", y1 - y0));
      }
    }
    return tiles;
  }

  @Override
  public TaskResult runChunk(JsonObject tile, TaskContext context) {
    int[] rgb = MandelbrotRenderer.pixels(view(tile), tile.getInteger("x"), tile.getInteger("y"),
        tile.getInteger("w"), tile.getInteger("h"), context);
    Buffer pixels = Buffer.buffer(rgb.length * 4);
    for (int pixel : rgb) {
      pixels.appendInt(pixel);
    }
    return new TaskResult(null, pixels, "application/octet-stream");
  }

  @Override
  public TaskResult merge(JsonObject params, List<JsonObject> tiles, List<TaskResult> tileResults) {
    MandelbrotView view = view(params);
    int[] image = new int[view.width() * view.height()];
    for (int i = 0; i < tiles.size(); i++) {
      JsonObject tile = tiles.get(i);
      Buffer pixels = tileResults.get(i).binary();
      int x0 = tile.getInteger("x");
      int y0 = tile.getInteger("y");
      int w = tile.getInteger("w");
      int h = tile.getInteger("h");
      for (int row = 0; row < h; row++) {
        int rowStart = (y0 + row) * view.width() + x0;
        for (int column = 0; column < w; column++) {
          image[rowStart + column] = pixels.getInt((row * w + column) * 4);
        }
      }
    }
    return TaskResult.binary(PNG, MandelbrotRenderer.png(view.width(), view.height(), image));
  }

  @Override
  public JsonObject describeChunk(JsonObject tile) {
    return new JsonObject().put("x", tile.getInteger("x")).put("y", tile.getInteger("y"))
        .put("width", tile.getInteger("w")).put("height", tile.getInteger("h"));
  }

  @Override
  public int maxChunks(JsonObject params) {
    return params.getLong("width").intValue() * params.getLong("height").intValue();
  }

  static MandelbrotView view(JsonObject params) {
    return new MandelbrotView(params.getNumber("width").intValue(), params.getNumber("height").intValue(),
        params.getNumber("centerX").doubleValue(), params.getNumber("centerY").doubleValue(),
        params.getNumber("scale").doubleValue(), params.getNumber("maxIterations").intValue());
  }
}
