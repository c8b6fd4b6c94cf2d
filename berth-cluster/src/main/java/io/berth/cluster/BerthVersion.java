package io.berth.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Berth release's version ({@code 0.2.1}, {@code 0.3.0-SNAPSHOT}) and the rule of which agents a
 * manager accepts: the same major version and a minor at most one away, so a cluster upgrades its
 * managers first and its nodes after, one at a time, without a node being refused on the way.
 */
public record BerthVersion(int major, int minor, int patch) {
  /** What a build outside a jar (tests, an IDE) calls itself; it accepts and is accepted by every version. */
  public static final String DEV = "dev";
  private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[-+~].*)?");

  /** This program's version, from its jar's manifest, or {@link #DEV}. */
  public static String running() {
    String v = BerthVersion.class.getPackage().getImplementationVersion();
    return v == null ? DEV : v;
  }

  /** The version in {@code text}; empty for {@link #DEV}, a missing one (a peer older than versions) or another form. */
  public static Optional<BerthVersion> parse(String text) {
    if (text == null) return Optional.empty();
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) return Optional.empty();
    return Optional.of(new BerthVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
  }

  /**
   * Why a manager of version {@code manager} refuses a {@code role} ("agent") of version {@code peer},
   * or empty when it accepts it. A version that does not parse is accepted: development builds, and
   * agents from before they stated one, which are this version's own minor.
   */
  public static Optional<String> refusal(String manager, String role, String peer) {
    Optional<BerthVersion> m = parse(manager);
    Optional<BerthVersion> p = parse(peer);
    if (m.isEmpty() || p.isEmpty()) return Optional.empty();
    BerthVersion ours = m.get();
    BerthVersion theirs = p.get();
    if (ours.major == theirs.major && Math.abs(ours.minor - theirs.minor) <= 1) return Optional.empty();
    String range = ours.major + "." + Math.max(0, ours.minor - 1) + " to " + ours.major + "." + (ours.minor + 1);
    return Optional.of(role + " version " + peer.trim() + " is too far from this manager's " + manager.trim()
        + ": a manager accepts " + role + "s of berth " + range + "; "
        + (theirs.compareTo(ours) < 0 ? "upgrade the " + role + " to berth " + ours.major + "." + ours.minor
            : "upgrade the managers first")
        + " (docs/operate.md, Upgrades)");
  }

  private int compareTo(BerthVersion o) {
    if (major != o.major) return Integer.compare(major, o.major);
    if (minor != o.minor) return Integer.compare(minor, o.minor);
    return Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
