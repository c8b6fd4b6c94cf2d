package io.berth.manager.identity;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Users in the store, each with a bcrypt hash of their password (none for {@code admin} until it sets one). */
public final class Users {
  public static final String ADMIN = "admin";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
      + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+");
  /** Words the audit and the principals use for callers who are no user. */
  private static final Set<String> RESERVED = Set.of("anonymous", "local", "node", "system", "manager");
  private final StateStore store;
  private final Clock clock;
  private final Passwords passwords;

  /**
   * A stored user. {@code passwordHash} never leaves the manager; {@code email} (null: none) is where alert
   * notifications reach them.
   */
  public record User(String name, String passwordHash, boolean admin, Instant createdAt, String createdBy, String email) {
    public User(String name, String passwordHash, boolean admin, Instant createdAt, String createdBy) {
      this(name, passwordHash, admin, createdAt, createdBy, null);
    }

    /** What the API shows of a user. */
    public View view() {
      return new View(name, admin, createdAt, createdBy, email);
    }
  }

  public record View(String name, boolean admin, Instant createdAt, String createdBy, String email) {}

  Users(StateStore store, Clock clock, Passwords passwords) {
    this.store = store;
    this.clock = clock;
    this.passwords = passwords;
    store.create(Keys.USERS + ADMIN, Json.bytes(new User(ADMIN, null, true, clock.instant(), "berth")), 0);
  }

  public Optional<User> find(String name) {
    return store.get(Keys.USERS + name).map(kv -> Json.read(kv.value(), User.class));
  }

  User require(String name) {
    return find(name).orElseThrow(() -> new BerthException.NotFound("UserNotFound", "no such user: " + name));
  }

  public List<User> list() {
    List<User> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.USERS, 0).items()) out.add(Json.read(kv.value(), User.class));
    return out;
  }

  /** Creates a user; a bad or taken name, or a weak password, is refused before anything is written. */
  public User create(String name, String password, boolean admin, String by) {
    return create(name, password, admin, by, null);
  }

  /** The same, with an e-mail address (null: none); a malformed one is refused. */
  public User create(String name, String password, boolean admin, String by, String email) {
    checkName(name);
    email = checkEmail(email);
    User u = new User(name, passwords.hash(password), admin, clock.instant(), by, email);
    if (!store.create(Keys.USERS + name, Json.bytes(u), 0)) {
      throw new BerthException.Conflict("UserExists", "user " + name + " already exists");
    }
    return u;
  }

  void setPassword(String name, String password) {
    KeyValue kv = store.get(Keys.USERS + name).orElseThrow(() -> new BerthException.NotFound("UserNotFound", "no such user: " + name));
    User u = Json.read(kv.value(), User.class);
    String hash = passwords.hash(password);
    replace(kv, new User(u.name(), hash, u.admin(), u.createdAt(), u.createdBy(), u.email()));
  }

  /** Sets (or, null or blank, clears) a user's e-mail address; a malformed one is refused. */
  void setEmail(String name, String email) {
    String checked = checkEmail(email);
    KeyValue kv = store.get(Keys.USERS + name).orElseThrow(() -> new BerthException.NotFound("UserNotFound", "no such user: " + name));
    User u = Json.read(kv.value(), User.class);
    replace(kv, new User(u.name(), u.passwordHash(), u.admin(), u.createdAt(), u.createdBy(), checked));
  }

  private void replace(KeyValue kv, User changed) {
    if (store.compareAndPut(kv.key(), Json.bytes(changed), kv.modRevision(), 0).isEmpty()) {
      throw new BerthException.Conflict("UserChanged", "user " + changed.name() + " changed meanwhile; try again");
    }
  }

  /**
   * An e-mail address as stored: trimmed, null for none (null or blank); one that is not {@code local@domain.tld}
   * (at most 254 characters, no spaces or line breaks, which would let it add mail headers) is refused in words.
   */
  public static String checkEmail(String email) {
    if (email == null || email.isBlank()) return null;
    String e = email.trim();
    if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
      throw new BerthException.Invalid("InvalidEmail", "not an e-mail address (expected name@example.com): '"
          + e.replaceAll("[\\r\\n]", " ") + "'");
    }
    return e;
  }

  boolean delete(String name) {
    return store.delete(Keys.USERS + name);
  }

  /** True when {@code password} is this user's (bcrypt; false for a user with no password). */
  boolean passwordMatches(User u, String password) {
    return passwords.matches(u.passwordHash(), password);
  }

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BerthException.Invalid("InvalidUserName",
          "a user name is 1-32 characters: lower-case letters, digits, '_', '.', '-', starting with a letter: '" + name + "'");
    }
    if (RESERVED.contains(name)) throw new BerthException.Invalid("InvalidUserName", "'" + name + "' is reserved; choose another name");
  }
}
