package io.berth.manager.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ContainerCache;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * {@code docker ps} rows as Swarm shows them, kept as JSON bytes until their container or node changes.
 * A row is rendered once from its cache entry with a mark where {@code Status} goes (the one field that
 * changes with the clock: "Up 5 minutes"); a listing copies the kept bytes and writes each Status at the
 * time of the call. So 30,000 rows are copied, not rebuilt as trees and serialised again on every {@code ps}; and
 * copied straight to the client ({@link PsListing}), not into one array first.
 */
final class PsRows {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final String MARK = "\u0000berth:status\u0000";
  private static final byte[] MARK_JSON = bytes(MARK);
  /** Rows of containers gone are dropped when this many more are kept than the cluster has. */
  private static final int SLACK = 1024;
  private final Map<String, Row> rows = new ConcurrentHashMap<>();
  /**
   * Per node name, its rows at the places its entries had in the last listing. A node's entries come in the same order
   * while they do not change, so a row is found at its entry's place in a small array of its node's: one lookup among
   * 1,000 nodes instead of one among 30,000 containers per row, which was most of a listing's time (memory waits).
   * A row not at its place (the node's entries changed) is found by its container's id, as before.
   */
  private final Map<String, Row[]> byPlace = new ConcurrentHashMap<>();

  /**
   * A rendered row: valid while its entry is the very one kept for the container, on a node of that name and address
   * (the whole address, which holds the host the row shows: compared as it is, with no string cut per row).
   */
  private record Row(ContainerCache.Entry source, String node, String address, byte[] head, byte[] tail) {
    boolean renders(ContainerCache.Entry e, Node n) {
      return source == e && node.equals(n.name().toString()) && address.equals(n.address());
    }
  }

  /** One row to list: the container's node, its cache entry, and the entry's place among the node's entries. */
  record Hit(Node node, ContainerCache.Entry entry, int place) {}

  /**
   * The JSON array of {@code hits}, in order, each Status as at {@code now}, to be written as it is copied
   * ({@link PsListing}). {@code all} is every container the cluster holds, so that rows of containers that are
   * gone can be let go.
   */
  PsListing listing(List<Hit> hits, Instant now, Map<Node, List<ContainerCache.Entry>> all) {
    int n = hits.size();
    byte[][] heads = new byte[n][];
    byte[][] statuses = new byte[n][];
    byte[][] tails = new byte[n][];
    Map<String, byte[]> quoted = new HashMap<>(); // rows share a few Status texts ("Up 5 minutes"): each quoted once
    for (int i = 0; i < n; i++) {
      Hit h = hits.get(i);
      Row r = row(h);
      heads[i] = r.head();
      tails[i] = r.tail();
      if (r.tail() != null) statuses[i] = quoted.computeIfAbsent(h.entry().status().text(now), PsRows::jsonString);
    }
    if (rows.size() > SLACK && rows.size() > all.values().stream().mapToInt(List::size).sum() + SLACK) forgetAllBut(all);
    if (byPlace.size() > all.size() + SLACK) {
      byPlace.keySet().retainAll(all.keySet().stream().map(node -> node.name().toString()).collect(Collectors.toSet()));
    }
    return new PsListing(heads, statuses, tails);
  }

  /** The hit's row: at its place among its node's, else by its container's id, else rendered; kept at its place after. */
  private Row row(Hit h) {
    Node node = h.node();
    ContainerCache.Entry e = h.entry();
    String name = node.name().toString();
    Row[] placed = byPlace.get(name);
    if (placed != null && h.place() < placed.length) {
      Row r = placed[h.place()];
      if (r != null && r.renders(e, node)) return r;
    }
    Row r = rows.get(e.id());
    if (r == null || !r.renders(e, node)) {
      r = render(node, e);
      rows.put(e.id(), r);
    }
    if (placed == null || h.place() >= placed.length) { // a racing listing may grow it too: either array will do
      placed = placed == null ? new Row[Math.max(32, h.place() + 1)] : Arrays.copyOf(placed, Math.max(placed.length * 2, h.place() + 1));
      byPlace.put(name, placed);
    }
    placed[h.place()] = r;
    return r;
  }

  /** Renders the row as {@link Listings#asSwarmShowsIt} makes it, split where Status goes (when the cache keeps a status). */
  private static Row render(Node node, ContainerCache.Entry e) {
    ObjectNode o = Listings.asSwarmShowsIt(node, e.listing(Instant.EPOCH));
    if (e.status() != null) o.put("Status", MARK);
    byte[] all;
    try {
      all = JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
    int at = e.status() == null ? -1 : indexOf(all, MARK_JSON);
    if (at < 0) return new Row(e, node.name().toString(), node.address(), all, null);
    return new Row(e, node.name().toString(), node.address(), Arrays.copyOfRange(all, 0, at),
        Arrays.copyOfRange(all, at + MARK_JSON.length, all.length));
  }

  /** Drops the rows of containers the cluster no longer holds. */
  private void forgetAllBut(Map<Node, List<ContainerCache.Entry>> all) {
    Set<String> keep = new HashSet<>();
    for (List<ContainerCache.Entry> list : all.values()) for (ContainerCache.Entry e : list) keep.add(e.id());
    rows.keySet().retainAll(keep);
  }

  int size() {
    return rows.size();
  }

  /** A JSON string: Status is plain ASCII words ("Up 5 minutes (healthy)"), quoted as is; anything else through Jackson. */
  private static byte[] jsonString(String s) {
    byte[] out = new byte[s.length() + 2];
    out[0] = '"';
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return bytes(s);
      out[i + 1] = (byte) c;
    }
    out[out.length - 1] = '"';
    return out;
  }

  private static byte[] bytes(String s) {
    try {
      return JSON.writeValueAsBytes(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int j = 0; j < what.length; j++) if (in[i + j] != what[j]) continue outer;
      return i;
    }
    return -1;
  }
}
