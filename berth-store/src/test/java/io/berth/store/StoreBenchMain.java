package io.berth.store;

/** Prints a store's throughput and watch latency: {@code StoreBenchMain STORE_URL [N]}. */
public final class StoreBenchMain {
  private StoreBenchMain() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: StoreBenchMain STORE_URL [N]   e.g. sqlite:///tmp/bench.db 20000");
      System.exit(2);
    }
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    try (StateStore store = StateStores.open(args[0])) {
      new StoreBenchmark().run(store, Math.min(n, 1_000)); // warm up the JIT
      System.out.println(new StoreBenchmark().run(store, n).format());
    } catch (StoreException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
