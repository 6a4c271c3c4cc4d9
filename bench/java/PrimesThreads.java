import io.parallax.compute.TaskContext;
import io.parallax.compute.tasks.PrimeCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The machine's own scaling, as the reference for a job's: pi(x) cut into the same chunks, run by a plain
 * thread pool of 1 and then of {@code threads} threads. Each pool first runs the same chunks once, so that
 * both are timed with the code as warm as in a node that has run jobs before. Prints "threads N ms T" per pool.
 * Run from bench/jobs.sh: {@code java -cp target/parallax.jar bench/java/PrimesThreads.java X CHUNKS THREADS}.
 */
public class PrimesThreads {

  public static void main(String[] args) throws Exception {
    long x = (long) Double.parseDouble(args[0]);
    int chunks = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    ExecutorService single = Executors.newFixedThreadPool(1);
    ExecutorService all = Executors.newFixedThreadPool(threads);
    run(single, x, chunks);
    run(all, x, chunks);
    System.out.println("threads 1 ms " + run(single, x, chunks));
    System.out.println("threads " + threads + " ms " + run(all, x, chunks));
    single.shutdown();
    all.shutdown();
  }

  private static Long firstTotal;

  /** Runs the chunks on the pool and answers the milliseconds it took. */
  private static long run(ExecutorService pool, long x, int chunks) throws Exception {
    long start = System.nanoTime();
    List<Future<Long>> counts = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      long from = x * i / chunks;
      long to = x * (i + 1) / chunks;
      counts.add(pool.submit(() -> PrimeCounter.count(from, to, TaskContext.UNBOUNDED)));
    }
    long total = 0;
    for (Future<Long> count : counts) {
      total += count.get();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (firstTotal != null && total != firstTotal) {
      throw new IllegalStateException("two runs of the same chunks counted " + firstTotal + " and " + total);
    }
    firstTotal = total;
    return millis;
  }
}
