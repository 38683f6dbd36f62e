package io.edgeai4j.module.host;

/**
 * The exit codes of {@link EdgeModuleMain}, from BSD {@code sysexits.h}, so that {@code docker inspect} and
 * edgeAgent's logs tell apart a configuration to fix from a hub to wait for. After SIGTERM the JVM exits with
 * 143 (128 + 15), as every JVM does, once the module has stopped gracefully.
 */
public enum ExitCode {
  /** 0: the module ran and stopped when asked. */
  OK(0),
  /** 64 ({@code EX_USAGE}): a wrong command line, or no module factory with the given id. */
  USAGE(64),
  /**
   * 69 ({@code EX_UNAVAILABLE}): no transport provider can run in this environment, the hub could not be
   * reached or its twin read, or the transport gave up reconnecting. edgeAgent restarts the module.
   */
  TRANSPORT_UNAVAILABLE(69),
  /** 70 ({@code EX_SOFTWARE}): the module failed: its factory or {@code EdgeModule.start()} threw. */
  MODULE_FAILED(70),
  /**
   * 78 ({@code EX_CONFIG}): a configuration error: an {@code EDGEAI4J_*} variable that is not valid, a
   * transport name that no provider has, several usable transports and none named, desired properties that
   * do not bind at start, a metrics port that cannot be used, or a directory the module must write that it
   * cannot ({@link io.edgeai4j.module.DirectoryNotWritableException}).
   */
  CONFIGURATION_ERROR(78);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** Returns the process exit status. */
  public int code() {
    return code;
  }
}
