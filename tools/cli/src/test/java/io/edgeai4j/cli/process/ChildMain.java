package io.edgeai4j.cli.process;

/**
 * A real child process for {@link ModuleProcessTest}: prints the variables named after {@code env}, then {@code exit N}
 * exits with N, {@code wait} runs until SIGTERM (saying so from its shutdown hook), {@code ignore-term} does not end on
 * SIGTERM.
 */
public final class ChildMain {
  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "env" -> System.out.println(args[i + 1] + "=" + System.getenv(args[++i]));
        case "exit" -> {
          System.err.println("exiting with " + args[i + 1]);
          System.exit(Integer.parseInt(args[i + 1]));
        }
        case "wait" -> {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("terminated gracefully")));
          System.out.println("waiting");
          Thread.sleep(Long.MAX_VALUE);
        }
        case "ignore-term" -> {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("ignoring SIGTERM");
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
          System.out.println("waiting");
          Thread.sleep(Long.MAX_VALUE);
        }
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
  }
}
