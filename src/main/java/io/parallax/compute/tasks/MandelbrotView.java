package io.parallax.compute.tasks;

/**
 * A rectangle of the complex plane as an image. Pixel {@code (px, py)} samples the point at its centre:
 * {@code re = centerX + (px + 0.5 - width / 2) * scale}, {@code im = centerY - (py + 0.5 - height / 2) * scale}
 * (row 0 is the top of the image, so the imaginary axis points up).
 */
public record MandelbrotView(int width, int height, double centerX, double centerY, double scale,
                             int maxIterations) {

  public double re(int px) {
    return centerX + (px + 0.5 - width / 2.0) * scale;
  }

  public double im(int py) {
    return centerY - (py + 0.5 - height / 2.0) * scale;
  }
}
