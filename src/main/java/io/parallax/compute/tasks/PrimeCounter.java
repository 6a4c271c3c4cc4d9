package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.util.Arrays;

/**
 * Counts primes in {@code [from, to)} with a segmented sieve of Eratosthenes over odd numbers only, one bit
 * per odd number, segments of {@value #SEGMENT_BITS} bits (32 KiB: fits the L1 data cache).
 */
public final class PrimeCounter {

  static final int SEGMENT_BITS = 1 << 18;

  private PrimeCounter() {
  }

  public static long count(long from, long to, TaskContext context) {
    if (to <= 2 || from >= to) {
      return 0;
    }
    long count = from <= 2 ? 1 : 0;
    long low = Math.max(from, 3) | 1; // first odd number >= max(from, 3)
    if (low >= to) {
      return count;
    }
    int[] basePrimes = oddPrimesUpTo(isqrt(to - 1));
    long[] nextMultiple = new long[basePrimes.length];
    for (int i = 0; i < basePrimes.length; i++) {
      long p = basePrimes[i];
      long first = Math.max(p * p, ((low + p - 1) / p) * p);
      nextMultiple[i] = (first & 1) == 0 ? first + p : first;
    }
    long[] words = new long[SEGMENT_BITS / 64];
    for (long segmentStart = low; segmentStart < to; segmentStart += 2L * SEGMENT_BITS) {
      context.checkpoint();
      int bits = (int) Math.min(SEGMENT_BITS, (to - segmentStart + 1) / 2);
      Arrays.fill(words, 0L);
      for (int i = 0; i < basePrimes.length; i++) {
        int p = basePrimes[i];
        long offset = (nextMultiple[i] - segmentStart) / 2;
        if (offset >= bits) {
          continue;
        }
        nextMultiple[i] = segmentStart + 2L * crossOff(words, (int) offset, p, bits);
      }
      count += countClear(words, bits);
    }
    return count;
  }

  /**
   * Marks bits {@code start, start + step, …} below {@code limit}; answers the first index past it. Kept
   * small and separate so the JIT compiles this hot loop on its own.
   */
  private static int crossOff(long[] words, int start, int step, int limit) {
    int j = start;
    for (; j < limit; j += step) {
      words[j >>> 6] |= 1L << j;
    }
    return j;
  }

  private static long countClear(long[] words, int bits) {
    int fullWords = bits >>> 6;
    long clear = 0;
    for (int w = 0; w < fullWords; w++) {
      clear += Long.bitCount(~words[w]);
    }
    int rest = bits & 63;
    if (rest != 0) {
      clear += Long.bitCount(~words[fullWords] & ((1L << rest) - 1));
    }
    return clear;
  }

  /** Odd primes up to and including {@code limit}, by a plain sieve (limit is at most 10^6 here). */
  static int[] oddPrimesUpTo(long limit) {
    int n = (int) limit;
    if (n < 3) {
      return new int[0];
    }
    boolean[] composite = new boolean[n + 1];
    int found = 0;
    int[] primes = new int[Math.max(16, (int) (1.3 * n / Math.log(n)) + 16)];
    for (int i = 3; i <= n; i += 2) {
      if (!composite[i]) {
        primes[found++] = i;
        for (long m = (long) i * i; m <= n; m += 2L * i) {
          composite[(int) m] = true;
        }
      }
    }
    return Arrays.copyOf(primes, found);
  }

  static long isqrt(long n) {
    long r = (long) Math.sqrt((double) n);
    while (r * r > n) {
      r--;
    }
    while ((r + 1) * (r + 1) <= n) {
      r++;
    }
    return r;
  }
}
