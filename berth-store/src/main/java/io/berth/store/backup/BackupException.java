package io.berth.store.backup;

/** A backup that cannot be written, read or restored, with one sentence saying why and what to do. */
public final class BackupException extends RuntimeException {
  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
