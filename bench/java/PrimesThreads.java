import io.parallax.compute.TaskContext;
import io.parallax.compute.tasks.PrimeCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The machine's own scaling, as the reference for a job's: pi(x) cut into the same chunks, run by a plain
 * thread pool of 1 and then of {@code threads} threads, after a warm-up. Prints "threads N ms T" per pool.
 * Run from bench/jobs.sh: {@code java -cp target/parallax.jar bench/java/PrimesThreads.java X CHUNKS THREADS}.
 */
public class PrimesThreads {

  public static void main(String[] args) throws Exception {
    long x = (long) Double.parseDouble(args[0]);
    int chunks = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    for (int i = 0; i < 3; i++) {
      PrimeCounter.count(0, 1_000_000_000L, TaskContext.UNBOUNDED);
    }
    for (int pool : new int[] {1, threads}) {
      ExecutorService executor = Executors.newFixedThreadPool(pool);
      long start = System.nanoTime();
      List<Future<Long>> counts = new ArrayList<>();
      for (int i = 0; i < chunks; i++) {
        long from = x * i / chunks;
        long to = x * (i + 1) / chunks;
        counts.add(executor.submit(() -> PrimeCounter.count(from, to, TaskContext.UNBOUNDED)));
      }
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      System.out.println("threads " + pool + " ms " + (System.nanoTime() - start) / 1_000_000 + " count " + total);
      executor.shutdown();
    }
  }
}
