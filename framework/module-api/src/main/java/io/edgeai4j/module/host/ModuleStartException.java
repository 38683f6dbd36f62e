package io.edgeai4j.module.host;

import io.edgeai4j.module.ModuleIdentity;
import java.util.Objects;

/**
 * Thrown by {@link ModuleHost#start()} when a module does not start. The message names the module and the
 * step that failed; {@link #stage()} says which step it was, and the cause is the underlying error. By the
 * time it is thrown, everything the host opened has been closed.
 */
public final class ModuleStartException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The start-up step that failed. */
  public enum Stage {
    /** {@link io.edgeai4j.module.spi.ModuleTransport#open} failed: the hub could not be reached. */
    OPEN_TRANSPORT("opening the transport"),
    /** {@link io.edgeai4j.module.spi.ModuleTransport#getTwin()} failed. */
    READ_TWIN("reading the whole twin"),
    /** {@link io.edgeai4j.module.EdgeModule#start} threw. */
    START_MODULE("EdgeModule.start()");

    private final String description;

    Stage(String description) {
      this.description = description;
    }

    /** Returns the step in words, e.g. {@code reading the whole twin}. */
    public String description() {
      return description;
    }
  }

  /** The module that did not start; not serialized, as identities are not serializable. */
  private final transient ModuleIdentity identity;
  /** The step that failed. */
  private final Stage stage;

  /**
   * Creates the exception.
   *
   * @param identity The module that did not start.
   * @param stage The step that failed.
   * @param detail What happened, in words.
   * @param cause The underlying error, or null.
   */
  public ModuleStartException(ModuleIdentity identity, Stage stage, String detail, Throwable cause) {
    super("Module " + Objects.requireNonNull(identity, "identity") + " did not start: "
        + Objects.requireNonNull(stage, "stage").description() + " failed: " + detail, cause);
    this.identity = identity;
    this.stage = stage;
  }

  /** Returns the module that did not start. */
  public ModuleIdentity identity() {
    return identity;
  }

  /** Returns the step that failed. */
  public Stage stage() {
    return stage;
  }
}
