package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The sieve one call at a time, on one thread: from zero, and a window far from zero where every sieving
 * prime joins at once. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class SieveBenchmarks {

  @Param({"100000000", "1000000000"})
  public long primesBelow;

  @Benchmark
  public long sieve() {
    return PrimeCounter.count(0, primesBelow, TaskContext.UNBOUNDED);
  }

  /** A chunk of a job far from zero: the sieving primes join at once. */
  @Benchmark
  public long sieveWindowNear10to12() {
    return PrimeCounter.count(999_000_000_000L, 999_000_000_000L + primesBelow / 10, TaskContext.UNBOUNDED);
  }
}
