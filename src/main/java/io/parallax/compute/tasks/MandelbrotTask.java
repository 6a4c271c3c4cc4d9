package io.parallax.compute.tasks;

import io.parallax.compute.ComputeTask;
import io.parallax.compute.ParamSpec;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Renders a region of the Mandelbrot set to a PNG image. */
public final class MandelbrotTask implements ComputeTask {

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

  static MandelbrotView view(JsonObject params) {
    return new MandelbrotView(params.getLong("width").intValue(), params.getLong("height").intValue(),
        params.getDouble("centerX"), params.getDouble("centerY"), params.getDouble("scale"),
        params.getLong("maxIterations").intValue());
  }
}
