package io.parallax.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.compute.tasks.MandelbrotRenderer;
import io.parallax.compute.tasks.MandelbrotView;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rendering the Mandelbrot set")
class MandelbrotRendererTest {

  private static final MandelbrotView WHOLE_SET = new MandelbrotView(320, 240, -0.5, 0.0, 0.0125, 500);
  private static final MandelbrotView SEAHORSE_VALLEY =
      new MandelbrotView(200, 150, -0.743643887037151, 0.131825904205330, 1e-6, 3_000);

  @Test
  @DisplayName("gives the same iteration count as a plain escape-time loop, pixel for pixel")
  void iterationCountsMatchPlainLoop() {
    for (MandelbrotView view : new MandelbrotView[] {WHOLE_SET, SEAHORSE_VALLEY}) {
      int[] counts = MandelbrotRenderer.iterations(view, 0, 0, view.width(), view.height(), TaskContext.UNBOUNDED);
      for (int py = 0; py < view.height(); py++) {
        for (int px = 0; px < view.width(); px++) {
          double cr = view.centerX() + (px + 0.5 - view.width() / 2.0) * view.scale();
          double ci = view.centerY() - (py + 0.5 - view.height() / 2.0) * view.scale();
          assertThat(counts[py * view.width() + px]).as("pixel (%d, %d)", px, py)
              .isEqualTo(plainEscapeTime(cr, ci, view.maxIterations()));
        }
      }
    }
  }

  @Test
  @DisplayName("renders a sub-rectangle exactly like the same pixels of the whole image")
  void tilesMatchWholeImage() {
    int[] whole = MandelbrotRenderer.pixels(WHOLE_SET, 0, 0, 320, 240, TaskContext.UNBOUNDED);
    int[] tile = MandelbrotRenderer.pixels(WHOLE_SET, 100, 50, 64, 32, TaskContext.UNBOUNDED);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        assertThat(tile[y * 64 + x]).isEqualTo(whole[(50 + y) * 320 + 100 + x]);
      }
    }
  }

  @Test
  @DisplayName("encodes a PNG of the right size: black inside the set, coloured outside, not one flat colour")
  void pngLooksRight() throws Exception {
    int[] rgb = MandelbrotRenderer.pixels(WHOLE_SET, 0, 0, 320, 240, TaskContext.UNBOUNDED);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(MandelbrotRenderer.png(320, 240, rgb)));
    assertThat(image.getWidth()).isEqualTo(320);
    assertThat(image.getHeight()).isEqualTo(240);
    // The centre of the view, c = -0.5, lies inside the main cardioid; the corner c = -2.5 + 1.5i escapes.
    assertThat(image.getRGB(160, 120) & 0xFFFFFF).isZero();
    assertThat(image.getRGB(0, 0) & 0xFFFFFF).isNotZero();
    long distinctColours = java.util.Arrays.stream(rgb).distinct().count();
    assertThat(distinctColours).as("a smooth palette uses many colours").isGreaterThan(200);
  }

  private static int plainEscapeTime(double cr, double ci, int max) {
    double x = 0;
    double y = 0;
    int i = 0;
    while (i < max && x * x + y * y <= 4.0) {
      double nextX = x * x - y * y + cr;
      y = 2 * x * y + ci;
      x = nextX;
      i++;
    }
    return i;
  }
}
