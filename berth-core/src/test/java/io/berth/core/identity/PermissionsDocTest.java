package io.berth.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/permissions.md is the promise; {@link Permissions} is what the code does: they must say the same, cell by cell. */
class PermissionsDocTest {
  /** kind → action → the roles the document says "yes" for, in the order owner … guest. */
  static Map<ResourceKind, Map<Action, List<Boolean>>> documented() throws Exception {
    Path doc = Path.of("..", "docs", "permissions.md");
    Map<ResourceKind, Map<Action, List<Boolean>>> out = new LinkedHashMap<>();
    ResourceKind kind = null;
    for (String line : Files.readAllLines(doc)) {
      if (line.startsWith("## ")) kind = null; // the matrix ends where the next section begins
      if (line.startsWith("### ")) {
        kind = ResourceKind.parse(line.substring(4).trim());
        out.put(kind, new LinkedHashMap<>());
        continue;
      }
      if (kind == null || !line.startsWith("| ") || line.startsWith("| action") || line.startsWith("| ---")) continue;
      String[] cells = line.split("\\|");
      if (cells.length < 7) continue;
      Action action = Action.valueOf(cells[1].trim().toUpperCase().replace('-', '_'));
      List<Boolean> yes = new ArrayList<>();
      for (int i = 2; i < 7; i++) yes.add(cells[i].trim().equals("yes"));
      out.get(kind).put(action, yes);
    }
    return out;
  }

  @Test
  void theDocumentedMatrixIsTheCodes() throws Exception {
    Map<ResourceKind, Map<Action, List<Boolean>>> doc = documented();
    assertThat(doc.keySet()).containsExactly(ResourceKind.values());
    for (ResourceKind kind : ResourceKind.values()) {
      assertThat(doc.get(kind).keySet()).as(kind.word()).containsExactlyElementsOf(Permissions.of(kind).keySet());
      for (Map.Entry<Action, List<Boolean>> row : doc.get(kind).entrySet()) {
        for (Role role : Role.values()) {
          assertThat(Permissions.allows(kind, role, row.getKey()))
              .as("%s %s by %s", kind.word(), row.getKey().word(), role.word())
              .isEqualTo(row.getValue().get(role.ordinal()));
        }
      }
    }
  }

  @Test
  void aStrongerRoleMayDoWhatAWeakerOneMay() {
    for (ResourceKind kind : ResourceKind.values()) {
      for (Action a : Permissions.of(kind).keySet()) {
        for (Role weak : Role.values()) {
          for (Role strong : Role.values()) {
            if (strong.atLeast(weak) && Permissions.allows(kind, weak, a)) assertThat(Permissions.allows(kind, strong, a)).isTrue();
          }
        }
      }
    }
    assertThat(Permissions.allows(ResourceKind.APP, null, Action.VIEW)).isFalse();
    assertThat(Permissions.allows(ResourceKind.BUILD, Role.OWNER, Action.PUSH)).isFalse(); // not an action on a build
  }
}
