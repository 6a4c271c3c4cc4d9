import io.parallax.compute.TaskContext;
import io.parallax.compute.tasks.Pbkdf2Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256, 100,000 iterations, 32-byte key, one thread: Parallax's kernel against the JDK's
 * SecretKeyFactory, alternating, after warm-up. Prints "name ms-per-hash" lines (medians).
 * Run from bench/pbkdf2.sh: {@code java -cp target/parallax.jar bench/java/Pbkdf2Bench.java [rounds]}.
 */
public class Pbkdf2Bench {

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    PBEKeySpec spec = new PBEKeySpec(new String(password, StandardCharsets.UTF_8).toCharArray(), salt, 100_000, 256);
    byte[] ours = Pbkdf2Sha256.derive(password, salt, 100_000, 32, TaskContext.UNBOUNDED);
    if (!Arrays.equals(ours, jdk.generateSecret(spec).getEncoded())) {
      throw new AssertionError("Parallax's PBKDF2 differs from the JDK's");
    }
    for (int i = 0; i < 20; i++) { // warm-up: let the JIT compile both
      Pbkdf2Sha256.derive(password, salt, 100_000, 32, TaskContext.UNBOUNDED);
      jdk.generateSecret(spec).getEncoded();
    }
    double[] parallax = new double[rounds];
    double[] reference = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      parallax[r] = time(() -> Pbkdf2Sha256.derive(password, salt, 100_000, 32, TaskContext.UNBOUNDED), 10);
      reference[r] = time(() -> jdk.generateSecret(spec).getEncoded(), 10);
    }
    System.out.printf("parallax %.2f%njdk %.2f%n", median(parallax), median(reference));
  }

  interface Work {
    Object run() throws Exception;
  }

  private static double time(Work work, int repeats) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      work.run();
    }
    return (System.nanoTime() - start) / 1e6 / repeats;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
