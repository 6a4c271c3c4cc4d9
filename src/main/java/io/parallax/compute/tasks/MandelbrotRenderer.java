package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Escape-time Mandelbrot renderer. Iteration counts use the classic bail-out |z| > 2; colours use the
 * normalised iteration count (two extra iterations past the bail-out smooth the bands) on a cyclic palette.
 */
public final class MandelbrotRenderer {

  /** Palette stops (position, RGB): deep blue through white and gold back to near black. */
  private static final double[] STOPS = {0.0, 0.16, 0.42, 0.6425, 0.8575, 1.0};
  private static final int[] COLOURS = {0x000764, 0x206BCB, 0xEDFFFF, 0xFFAA00, 0x000200, 0x000764};
  private static final int PALETTE_SIZE = 2048;
  private static final int[] PALETTE = buildPalette();
  private static final double LOG2 = Math.log(2);

  static {
    ImageIO.setUseCache(false);
  }

  private MandelbrotRenderer() {
  }

  /** Iteration counts of the rectangle {@code [x0, x0 + w) × [y0, y0 + h)} of the view, row by row. */
  public static int[] iterations(MandelbrotView view, int x0, int y0, int w, int h, TaskContext context) {
    int[] counts = new int[w * h];
    render(view, x0, y0, w, h, context, counts, null);
    return counts;
  }

  /** RGB pixels of the rectangle {@code [x0, x0 + w) × [y0, y0 + h)} of the view, row by row. */
  public static int[] pixels(MandelbrotView view, int x0, int y0, int w, int h, TaskContext context) {
    int[] rgb = new int[w * h];
    render(view, x0, y0, w, h, context, null, rgb);
    return rgb;
  }

  private static void render(MandelbrotView view, int x0, int y0, int w, int h, TaskContext context, int[] counts,
                             int[] rgb) {
    int max = view.maxIterations();
    for (int row = 0; row < h; row++) {
      context.checkpoint();
      double ci = view.im(y0 + row);
      for (int col = 0; col < w; col++) {
        double cr = view.re(x0 + col);
        double x = 0;
        double y = 0;
        double x2 = 0;
        double y2 = 0;
        int n = 0;
        while (n < max && x2 + y2 <= 4.0) {
          y = 2 * x * y + ci;
          x = x2 - y2 + cr;
          x2 = x * x;
          y2 = y * y;
          n++;
        }
        int index = row * w + col;
        if (counts != null) {
          counts[index] = n;
        }
        if (rgb != null) {
          rgb[index] = n >= max ? 0 : colour(n, x, y, cr, ci);
        }
      }
    }
  }

  private static int colour(int n, double x, double y, double cr, double ci) {
    for (int extra = 0; extra < 2; extra++) {
      double xt = x * x - y * y + cr;
      y = 2 * x * y + ci;
      x = xt;
    }
    double logModulus = 0.5 * Math.log(x * x + y * y);
    double smooth = n + 3 - Math.log(logModulus / LOG2) / LOG2;
    double t = Math.sqrt(Math.max(0, smooth)) / 6.0;
    int index = (int) ((t - Math.floor(t)) * PALETTE_SIZE);
    return PALETTE[Math.min(PALETTE_SIZE - 1, Math.max(0, index))];
  }

  public static byte[] png(int width, int height, int[] rgb) {
    // Wrap the pixels instead of copying them into a new image: a 4096² render is 64 MB either way.
    DirectColorModel model = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
    WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(rgb, rgb.length), width, height, width,
        model.getMasks(), null);
    BufferedImage image = new BufferedImage(model, raster, false, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, width * height / 2));
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int[] buildPalette() {
    int[] palette = new int[PALETTE_SIZE];
    for (int i = 0; i < PALETTE_SIZE; i++) {
      double t = (double) i / PALETTE_SIZE;
      int stop = 0;
      while (t > STOPS[stop + 1]) {
        stop++;
      }
      double f = (t - STOPS[stop]) / (STOPS[stop + 1] - STOPS[stop]);
      palette[i] = mix(COLOURS[stop], COLOURS[stop + 1], f);
    }
    return palette;
  }

  private static int mix(int a, int b, double f) {
    int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
    int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
    int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    return (r << 16) | (g << 8) | bl;
  }
}
