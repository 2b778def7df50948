package dev.kubeboot.runner.network;

import java.nio.file.Path;

/** A CNI network configuration file that cannot be used; the message names the file and field. */
public final class CniConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String field;

  /**
   * @param field the JSON path of the bad field ("plugins[1].type"), empty for the whole file
   * @param problem what is wrong and what to do
   */
  public CniConfigException(Path file, String field, String problem) {
    super("CNI config " + file + (field.isEmpty() ? "" : ": field " + field) + ": " + problem);
    this.file = file;
    this.field = field;
  }

  public Path file() {
    return file;
  }

  public String field() {
    return field;
  }
}
