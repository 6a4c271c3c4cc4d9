package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.util.Arrays;

/**
 * Counts primes in {@code [from, to)} with a segmented sieve of Eratosthenes over odd numbers only, one bit
 * per odd number, segments of {@value #SEGMENT_BITS} bits (32 KiB: fits the L1 data cache).
 *
 * <p>The multiples of 3, 5, 7, 11 and 13 are not crossed off one by one: each segment starts as a copy of
 * their combined pattern, which repeats every 15,015 odd numbers. That removes the densest 40% of the
 * crossing-off work.
 */
public final class PrimeCounter {

  static final int SEGMENT_BITS = 1 << 18;
  private static final int[] PRESIEVED = {3, 5, 7, 11, 13};
  /** The pattern's period in odd numbers: 3 · 5 · 7 · 11 · 13. */
  private static final int PERIOD = 15_015;
  /** 64 periods of the pattern, so that every word of a segment starts at the same bit of a pattern word. */
  private static final long[] PATTERN = presievePattern();

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
    int[] basePrimes = withoutPresieved(oddPrimesUpTo(isqrt(to - 1)));
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
      fillWithPattern(words, (segmentStart - 1) / 2, bits);
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
    // The pattern marks 3, 5, 7, 11 and 13 themselves as composite.
    for (int p : PRESIEVED) {
      if (p >= low && p < to) {
        count++;
      }
    }
    return count;
  }

  /** Bit {@code j} of the words becomes the pattern's bit for odd index {@code firstOddIndex + j}. */
  private static void fillWithPattern(long[] words, long firstOddIndex, int bits) {
    long start = firstOddIndex % (64L * PERIOD);
    int word = (int) (start >>> 6);
    int shift = (int) (start & 63);
    int count = (bits + 63) >>> 6;
    for (int w = 0; w < count; w++) {
      int nextWord = word + 1 == PERIOD ? 0 : word + 1;
      words[w] = shift == 0 ? PATTERN[word] : (PATTERN[word] >>> shift) | (PATTERN[nextWord] << (64 - shift));
      word = nextWord;
    }
  }

  private static long[] presievePattern() {
    long[] pattern = new long[PERIOD]; // 64 * PERIOD bits
    for (int p : PRESIEVED) {
      // Odd index k stands for 2k + 1; the multiples of p among odd numbers sit at k = (p - 1) / 2 + p * m.
      for (long k = (p - 1) / 2; k < 64L * PERIOD; k += p) {
        pattern[(int) (k >>> 6)] |= 1L << k;
      }
    }
    return pattern;
  }

  private static int[] withoutPresieved(int[] oddPrimes) {
    int skip = 0;
    while (skip < oddPrimes.length && oddPrimes[skip] <= PRESIEVED[PRESIEVED.length - 1]) {
      skip++;
    }
    return Arrays.copyOfRange(oddPrimes, skip, oddPrimes.length);
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
