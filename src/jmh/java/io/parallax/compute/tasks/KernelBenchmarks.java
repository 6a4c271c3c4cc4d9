package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * PBKDF2 (SHA-256 states restored in place and, for comparison, cloned) and a Mandelbrot tile, one call at a
 * time on one thread. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "--add-opens=java.base/sun.security.provider=ALL-UNNAMED"})
public class KernelBenchmarks {

  private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
  private final byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private final MandelbrotView view = new MandelbrotView(256, 256, -0.745, 0.113, 0.00002, 1000);

  @Benchmark
  public byte[] pbkdf2InPlace100k() {
    return Pbkdf2Sha256.derive(password, salt, 100_000, 32, TaskContext.UNBOUNDED);
  }

  @Benchmark
  public byte[] pbkdf2Cloning100k() {
    return Pbkdf2Sha256.deriveCloning(password, salt, 100_000, 32, TaskContext.UNBOUNDED);
  }

  @Benchmark
  public int[] mandelbrotTile256() {
    return MandelbrotRenderer.pixels(view, 0, 0, 256, 256, TaskContext.UNBOUNDED);
  }
}
