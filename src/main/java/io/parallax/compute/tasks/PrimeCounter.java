package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Counts primes in {@code [from, to)} with a segmented sieve of Eratosthenes on a mod-30 wheel.
 *
 * <p>Each byte of a segment stands for 30 consecutive numbers and its eight bits for the ones among them
 * that are coprime to 30 (residues 1, 7, 11, 13, 17, 19, 23, 29): multiples of 2, 3 and 5 take no memory
 * at all, so a 256 KiB segment covers 7.9 million numbers. A bit still set after sieving is a prime.
 *
 * <ul>
 *   <li>Multiples of 7, 11, 13, 17 and 19 are never crossed off one by one: each segment starts as a copy of
 *       their combined pattern, which repeats every 7·11·13·17·19 bytes.</li>
 *   <li>Each sieving prime p visits only its multiples p·q with q coprime to 30. Those repeat with p bytes
 *       between cycles of eight, at offsets and bits that depend only on p mod 30, so the inner loop crosses
 *       off eight multiples per turn from offsets computed once per prime and segment.</li>
 *   <li>A prime joins the sieve in the first segment that holds its square, and remembers where its next
 *       multiple falls, so a range far from zero costs no more than its own length.</li>
 * </ul>
 */
public final class PrimeCounter {

  /**
   * 256 KiB, a quarter of a 1 MiB L2 cache. Measured from 32 KiB (the L1 cache) to 1 MiB: a larger segment
   * pays more per crossing but visits every sieving prime far less often; 256 and 512 KiB did best on one
   * thread, and 256 KiB leaves room in the cache for a second worker's segment.
   */
  static final int SEGMENT_BYTES = 1 << 18;
  /** Numbers covered by one segment. */
  static final long SEGMENT_SPAN = 30L * SEGMENT_BYTES;

  private static final int[] RESIDUES = {1, 7, 11, 13, 17, 19, 23, 29};
  /** The next residue minus this one (29 → 31). */
  private static final int[] WHEEL_GAPS = {6, 4, 2, 4, 2, 4, 6, 2};
  /** Index into {@link #RESIDUES} of each number mod 30, or -1 for numbers sharing a factor with 30. */
  private static final int[] RESIDUE_INDEX = new int[30];
  /** For each number mod 30, how far it is to the next number coprime to 30. */
  private static final int[] TO_NEXT_COPRIME = new int[30];

  // Tables indexed by [residue index of p] * 8 + [residue index of the multiplier q].
  /** The bit of p·q to clear, as an AND mask. */
  private static final byte[] STEP_MASK = new byte[64];
  /** Bytes from p·q to p·(next q) beyond (p / 30) · gap. */
  private static final int[] STEP_CARRY = new int[64];
  /** In a cycle starting at q ≡ 1: byte offset of the k-th multiple beyond (p / 30) · (residue k - 1). */
  private static final int[] CYCLE_CARRY = new int[64];

  private static final int[] PRESIEVED = {7, 11, 13, 17, 19};
  private static final byte[] PATTERN = presievePattern(7 * 11 * 13 * 17 * 19);
  /** The first prime that is crossed off one multiple at a time. */
  private static final int FIRST_SIEVING_PRIME = 23;

  /**
   * One full-size segment per thread, reused from one call to the next: a worker sieving chunk after chunk
   * keeps the same memory warm in its cache instead of zeroing fresh memory for every chunk.
   */
  private static final ThreadLocal<byte[]> SEGMENTS = ThreadLocal.withInitial(() -> new byte[SEGMENT_BYTES]);

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    Arrays.fill(RESIDUE_INDEX, -1);
    for (int i = 0; i < 8; i++) {
      RESIDUE_INDEX[RESIDUES[i]] = i;
    }
    for (int n = 0; n < 30; n++) {
      int gap = 0;
      while (RESIDUE_INDEX[(n + gap) % 30] < 0) {
        gap++;
      }
      TO_NEXT_COPRIME[n] = gap;
    }
    for (int pi = 0; pi < 8; pi++) {
      int r = RESIDUES[pi];
      for (int qi = 0; qi < 8; qi++) {
        int product = r * RESIDUES[qi] % 30;
        STEP_MASK[pi * 8 + qi] = (byte) ~(1 << RESIDUE_INDEX[product]);
        STEP_CARRY[pi * 8 + qi] = (product + r * WHEEL_GAPS[qi]) / 30;
        CYCLE_CARRY[pi * 8 + qi] = r * RESIDUES[qi] / 30;
      }
    }
  }

  private PrimeCounter() {
  }

  public static long count(long from, long to, TaskContext context) {
    if (to <= 2 || from >= to) {
      return 0;
    }
    long count = 0;
    for (int small : new int[] {2, 3, 5}) {
      if (small >= from && small < to) {
        count++;
      }
    }
    for (int presieved : PRESIEVED) {
      if (presieved >= from && presieved < to) {
        count++; // the pattern marks them as multiples of themselves
      }
    }
    long low = Math.max(from, 7); // below 7 only 2, 3 and 5, counted above; this also leaves out 1
    if (low >= to) {
      return count;
    }
    SievingPrimes primes = new SievingPrimes(sievingPrimesUpTo(isqrt(to - 1)));
    byte[] segment = (to - low) / 30 + 2 >= SEGMENT_BYTES ? SEGMENTS.get()
        : new byte[(int) ((to - low) / 30 + 2)];
    for (long segmentStart = low / 30 * 30; segmentStart < to; segmentStart += SEGMENT_SPAN) {
      context.checkpoint();
      int bytes = (int) ((Math.min(to - segmentStart, SEGMENT_SPAN) + 29) / 30);
      fillWithPattern(segment, segmentStart / 30, bytes);
      primes.activateUpTo(segmentStart, segmentStart + 30L * bytes);
      primes.crossOff(segment, bytes);
      count += countPrimes(segment, bytes, segmentStart, low, to);
    }
    return count;
  }

  /** The primes that sieve, each with where its next multiple falls relative to the current segment. */
  private static final class SievingPrimes {
    final int[] primes;
    final int[] nextByte;
    final int[] wheel;
    int active;

    SievingPrimes(int[] primes) {
      this.primes = primes;
      this.nextByte = new int[primes.length];
      this.wheel = new int[primes.length];
    }

    /** Lets in the primes whose square falls before {@code segmentEnd}, from their first multiple on. */
    void activateUpTo(long segmentStart, long segmentEnd) {
      while (active < primes.length && (long) primes[active] * primes[active] < segmentEnd) {
        long p = primes[active];
        long q = Math.max(p, (segmentStart + p - 1) / p);
        q += TO_NEXT_COPRIME[(int) (q % 30)];
        nextByte[active] = (int) ((p * q - segmentStart) / 30);
        wheel[active] = RESIDUE_INDEX[(int) (q % 30)];
        active++;
      }
    }

    void crossOff(byte[] segment, int bytes) {
      for (int i = 0; i < active; i++) {
        int p = primes[i];
        int at = nextByte[i];
        int q = wheel[i];
        int row = RESIDUE_INDEX[p % 30] * 8;
        int perGap = p / 30;
        while (at < bytes) {
          // One multiple at a time up to a cycle's start, then whole cycles while they fit, then the rest.
          if (q == 0) {
            at = crossOffCycles(segment, at, bytes, p, row);
            if (at >= bytes) {
              break;
            }
          }
          segment[at] &= STEP_MASK[row + q];
          at += perGap * WHEEL_GAPS[q] + STEP_CARRY[row + q];
          q = (q + 1) & 7;
        }
        nextByte[i] = at - bytes;
        wheel[i] = q;
      }
    }
  }

  /**
   * Crosses off whole cycles of eight multiples of {@code p}, starting at byte {@code at} with a multiplier
   * ≡ 1 (mod 30), while the whole cycle fits below {@code limit}; answers where the next cycle starts. Kept
   * small and separate so the JIT compiles this hot loop on its own.
   */
  private static int crossOffCycles(byte[] segment, int at, int limit, int p, int row) {
    int perGap = p / 30;
    int o1 = perGap * 6 + CYCLE_CARRY[row + 1];
    int o2 = perGap * 10 + CYCLE_CARRY[row + 2];
    int o3 = perGap * 12 + CYCLE_CARRY[row + 3];
    int o4 = perGap * 16 + CYCLE_CARRY[row + 4];
    int o5 = perGap * 18 + CYCLE_CARRY[row + 5];
    int o6 = perGap * 22 + CYCLE_CARRY[row + 6];
    int o7 = perGap * 28 + CYCLE_CARRY[row + 7];
    byte m0 = STEP_MASK[row];
    byte m1 = STEP_MASK[row + 1];
    byte m2 = STEP_MASK[row + 2];
    byte m3 = STEP_MASK[row + 3];
    byte m4 = STEP_MASK[row + 4];
    byte m5 = STEP_MASK[row + 5];
    byte m6 = STEP_MASK[row + 6];
    byte m7 = STEP_MASK[row + 7];
    for (int end = limit - o7; at < end; at += p) {
      segment[at] &= m0;
      segment[at + o1] &= m1;
      segment[at + o2] &= m2;
      segment[at + o3] &= m3;
      segment[at + o4] &= m4;
      segment[at + o5] &= m5;
      segment[at + o6] &= m6;
      segment[at + o7] &= m7;
    }
    return at;
  }

  /** Bytes {@code 0..bytes-1} of the segment become the pattern's bytes from {@code firstByte} (mod its period). */
  private static void fillWithPattern(byte[] segment, long firstByte, int bytes) {
    int offset = (int) (firstByte % PATTERN.length);
    int filled = 0;
    while (filled < bytes) {
      int run = Math.min(bytes - filled, PATTERN.length - offset);
      System.arraycopy(PATTERN, offset, segment, filled, run);
      filled += run;
      offset = 0;
    }
  }

  /** Byte b keeps the bits of 30b + residue that no presieved prime divides; built prime by prime. */
  private static byte[] presievePattern(int period) {
    byte[] pattern = new byte[period];
    Arrays.fill(pattern, (byte) 0xFF);
    for (int p : PRESIEVED) {
      byte[] keep = new byte[p]; // the pattern of p alone repeats every p bytes
      for (int b = 0; b < p; b++) {
        for (int i = 0; i < 8; i++) {
          if ((30 * b + RESIDUES[i]) % p != 0) {
            keep[b] |= (byte) (1 << i);
          }
        }
      }
      for (int b = 0, inPeriod = 0; b < period; b++) {
        pattern[b] &= keep[inPeriod];
        if (++inPeriod == p) {
          inPeriod = 0;
        }
      }
    }
    return pattern;
  }

  /** The set bits of the segment that stand for numbers in {@code [low, to)}. */
  private static long countPrimes(byte[] segment, int bytes, long segmentStart, long low, long to) {
    if (low > segmentStart) {
      segment[0] &= (byte) bitsFrom((int) (low - segmentStart));
    }
    long last = segmentStart + 30L * (bytes - 1);
    if (to < last + 30) {
      segment[bytes - 1] &= (byte) ~bitsFrom((int) (to - last));
    }
    long count = 0;
    int b = 0;
    for (; b + 8 <= bytes; b += 8) {
      count += Long.bitCount((long) LONGS.get(segment, b));
    }
    for (; b < bytes; b++) {
      count += Integer.bitCount(segment[b] & 0xFF);
    }
    return count;
  }

  /** The bits of a wheel byte that stand for residues at least {@code offset} (0..30). */
  private static int bitsFrom(int offset) {
    int bits = 0;
    for (int i = 0; i < 8; i++) {
      if (RESIDUES[i] >= offset) {
        bits |= 1 << i;
      }
    }
    return bits;
  }

  /**
   * The sieving primes up to {@code limit}: a prefix of those up to 10^6 (enough for every number below
   * 10^12), computed once, so that the many small chunks of a job do not each sieve them again.
   */
  private static int[] sievingPrimesUpTo(long limit) {
    if (limit > CachedSievingPrimes.LIMIT) {
      return primesFrom(FIRST_SIEVING_PRIME, limit);
    }
    int[] all = CachedSievingPrimes.PRIMES;
    int end = Arrays.binarySearch(all, (int) limit);
    return Arrays.copyOf(all, end >= 0 ? end + 1 : -end - 1);
  }

  private static final class CachedSievingPrimes {
    static final int LIMIT = 1_000_000;
    static final int[] PRIMES = primesFrom(FIRST_SIEVING_PRIME, LIMIT);
  }

  /** The primes in {@code [first, limit]}, by a plain sieve. */
  static int[] primesFrom(int first, long limit) {
    int n = (int) limit;
    if (n < first) {
      return new int[0];
    }
    boolean[] composite = new boolean[n + 1];
    int found = 0;
    int[] primes = new int[Math.max(16, (int) (1.3 * n / Math.log(n)) + 16)];
    for (int i = 2; i <= n; i++) {
      if (!composite[i]) {
        if (i >= first) {
          primes[found++] = i;
        }
        for (long m = (long) i * i; m <= n; m += i) {
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
