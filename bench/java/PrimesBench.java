import io.parallax.compute.TaskContext;
import io.parallax.compute.tasks.PrimeCounter;

/**
 * One thread counting the primes below {@code limit} with Parallax's sieve, after a warm-up. Prints
 * "count N" and "ms T". Run from bench/primes.sh: {@code java -cp target/parallax.jar bench/java/PrimesBench.java LIMIT}.
 */
public class PrimesBench {

  public static void main(String[] args) {
    long limit = (long) Double.parseDouble(args[0]);
    for (int i = 0; i < 3; i++) {
      PrimeCounter.count(0, Math.min(limit, 1_000_000_000L), TaskContext.UNBOUNDED);
    }
    long start = System.nanoTime();
    long count = PrimeCounter.count(0, limit, TaskContext.UNBOUNDED);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("count " + count);
    System.out.println("ms " + millis);
  }
}
