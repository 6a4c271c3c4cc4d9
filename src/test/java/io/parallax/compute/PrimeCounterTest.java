package io.parallax.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.compute.tasks.PrimeCounter;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Counting primes with the segmented sieve")
class PrimeCounterTest {

  @ParameterizedTest(name = "pi({0}) = {1}")
  @CsvSource({"10, 4", "100, 25", "1000000, 78498", "10000000, 664579", "100000000, 5761455",
      "1000000000, 50847534", "10000000000, 455052511"})
  @DisplayName("gives the published values of pi(x)")
  void knownValues(long x, long pi) {
    // [0, x] holds pi(x) primes; x itself is never prime here, so [0, x) holds the same.
    assertThat(PrimeCounter.count(0, x, TaskContext.UNBOUNDED)).isEqualTo(pi);
  }

  @Test
  @DisplayName("agrees with trial division on random small ranges, including the edges 0, 1, 2 and 3")
  void matchesTrialDivision() {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      long from = i < 20 ? i % 5 : (long) (random.nextDouble() * 2_000_000);
      long to = from + 1 + random.nextInt(i < 20 ? 50 : 3_000);
      assertThat(PrimeCounter.count(from, to, TaskContext.UNBOUNDED)).as("[%d, %d)", from, to)
          .isEqualTo(trialDivisionCount(from, to));
    }
  }

  @Test
  @DisplayName("agrees with trial division on windows near 10^12")
  void matchesTrialDivisionOnLargeNumbers() {
    long[][] windows = {{999_999_990_000L, 1_000_000_000_000L},
        {123_456_789_000L, 123_456_789_000L + 1_234}};
    for (long[] window : windows) {
      assertThat(PrimeCounter.count(window[0], window[1], TaskContext.UNBOUNDED))
          .as("[%d, %d)", window[0], window[1]).isEqualTo(trialDivisionCount(window[0], window[1]));
    }
  }

  @Test
  @DisplayName("agrees with a plain sieve on random windows spanning several segments, up to 10^11")
  void matchesPlainSieve() {
    Random random = new Random(7);
    for (int i = 0; i < 12; i++) {
      long from = (long) (random.nextDouble() * Math.pow(10, 5 + i / 2));
      long to = from + 1 + random.nextInt(4_000_000);
      assertThat(PrimeCounter.count(from, to, TaskContext.UNBOUNDED)).as("[%d, %d)", from, to)
          .isEqualTo(plainSieveCount(from, to));
    }
  }

  @Test
  @DisplayName("agrees with a plain sieve across segment boundaries (a segment covers 7,864,320 numbers)")
  void acrossSegments() {
    long from = 1_000_003;
    long to = from + 3 * 7_864_320L + 7;
    assertThat(PrimeCounter.count(from, to, TaskContext.UNBOUNDED)).isEqualTo(plainSieveCount(from, to));
  }

  @Test
  @DisplayName("splits additively: pi over [a, c) is pi over [a, b) plus pi over [b, c)")
  void additive() {
    long whole = PrimeCounter.count(10_000, 5_000_000, TaskContext.UNBOUNDED);
    long left = PrimeCounter.count(10_000, 1_234_567, TaskContext.UNBOUNDED);
    long right = PrimeCounter.count(1_234_567, 5_000_000, TaskContext.UNBOUNDED);
    assertThat(left + right).isEqualTo(whole);
  }

  /** One boolean per number of the window, crossed off by every number up to its square root. */
  private static long plainSieveCount(long from, long to) {
    boolean[] composite = new boolean[(int) (to - from)];
    for (long d = 2; d * d < to; d++) {
      for (long m = Math.max(d * d, (from + d - 1) / d * d); m < to; m += d) {
        composite[(int) (m - from)] = true;
      }
    }
    long count = 0;
    for (long n = Math.max(from, 2); n < to; n++) {
      if (!composite[(int) (n - from)]) {
        count++;
      }
    }
    return count;
  }

  private static long trialDivisionCount(long from, long to) {
    long count = 0;
    for (long n = from; n < to; n++) {
      if (isPrime(n)) {
        count++;
      }
    }
    return count;
  }

  private static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    for (long d = 2; d * d <= n; d++) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}
