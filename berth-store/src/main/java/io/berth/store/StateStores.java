package io.berth.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a store from its URL: {@code sqlite:///path/berth.db} or
 * {@code etcd://host:port[,host:port...]}. A malformed URL or an unreachable store is a
 * {@link StoreException} with one clear sentence.
 */
public final class StateStores {
  private static final String FORMS = "sqlite:///absolute/path/berth.db or etcd://host:port[,host:port...]";

  private StateStores() {}

  /** Opens the store the URL names. */
  public static StateStore open(String url) {
    if (url == null || url.isBlank()) {
      throw malformed(url, "it is empty");
    }
    if (url.startsWith("sqlite://")) {
      return SqliteStateStore.open(sqlitePath(url), SqliteOptions.DEFAULTS);
    }
    if (url.startsWith("etcd://")) {
      return EtcdOpen.connect(etcdEndpoints(url));
    }
    throw malformed(url, "the scheme must be sqlite or etcd");
  }

  static Path sqlitePath(String url) {
    String rest = url.substring("sqlite://".length());
    if (!rest.startsWith("/")) {
      throw malformed(url, "the path must be absolute (three slashes: sqlite:///path)");
    }
    if (rest.endsWith("/") || rest.contains("?") || rest.contains("#")) {
      throw malformed(url, "the path must name a file");
    }
    return Path.of(rest);
  }

  /** Parses {@code etcd://h1:p1,h2:p2} into {@code host:port} strings, checking each. */
  static List<String> etcdEndpoints(String url) {
    String rest = url.substring("etcd://".length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty()) {
      throw malformed(url, "it names no host");
    }
    List<String> endpoints = new ArrayList<>();
    for (String part : rest.split(",", -1)) {
      URI uri;
      try {
        uri = new URI("etcd://" + part);
      } catch (URISyntaxException e) {
        throw malformed(url, "'" + part + "' is not host:port");
      }
      if (uri.getHost() == null || uri.getPort() < 1 || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
        throw malformed(url, "'" + part + "' is not host:port");
      }
      endpoints.add(part);
    }
    return endpoints;
  }

  private static StoreException malformed(String url, String why) {
    return new StoreException("malformed store URL '" + url + "': " + why + "; expected " + FORMS);
  }
}
