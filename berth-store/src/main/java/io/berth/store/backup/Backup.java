package io.berth.store.backup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backup read whole and checked: its header, every key with its value (in key order), and the
 * manager data-dir files it holds by name.
 */
public record Backup(BackupHeader header, Map<String, byte[]> keys, Map<String, byte[]> files) {
  public Backup {
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }
}
