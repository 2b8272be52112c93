package dev.alertdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.app.Main;
import dev.alertdesk.rbac.RbacPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rbac} section: read as documented, every mistake named by file, line and key. */
final class RbacConfigTest {
  /** The README's example. */
  static final String EXAMPLE = """
      rbac:
        roles:
          oncall: {users: [U0ALICE], usergroups: [S0ONCALL]}
          leads:  {usergroups: [S0LEADS]}
        grants:
          - {role: oncall, actions: [acknowledge, silence, snooze, "remediate:*"]}
          - {role: leads,  actions: ["approve:*"], channels: ["#prod-alerts"]}
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("alertdesk.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void readsTheExample() throws Exception {
    Path file = write(EXAMPLE);
    RbacPolicy p = Settings.load(Map.of("CONFIG_FILE", file.toString())).rbac();
    assertThat(p).isNotNull();
    assertThat(p.roles().keySet()).containsExactly("oncall", "leads");
    assertThat(p.roles().get("oncall").users()).containsExactly("U0ALICE");
    assertThat(p.roles().get("oncall").usergroups()).containsExactly("S0ONCALL");
    assertThat(p.grants()).hasSize(2);
    assertThat(p.grants().get(0).actions())
        .containsExactly("acknowledge", "silence", "snooze", "remediate:*");
    assertThat(p.grants().get(1).channels()).containsExactly("#prod-alerts");
    assertThat(p.usergroups()).containsExactly("S0ONCALL", "S0LEADS");
  }

  @Test
  void noSectionMeansNoPolicy() throws Exception {
    Path file = write("slack_channel: \"#alerts\"\n");
    assertThat(Settings.load(Map.of("CONFIG_FILE", file.toString())).rbac()).isNull();
    assertThat(Settings.load(Map.of()).rbac()).isNull();
  }

  @Test
  void reportsEveryMistakeWithFileLineAndKey() throws Exception {
    Path file = write("""
        rbac:
          roles:
            oncall: {users: [alice], usergroups: [oncall-team], admins: [U0X]}
            ok: {users: [U0BOB]}
          grants:
            - {role: opsen, actions: [acknowledge]}
            - {role: ok, actions: [acknowledge, reboot, "remediate:a/b"], channels: [prod, "#Prod", C0ABC]}
            - {role: ok}
          audit: true
        """);
    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          List<String> problems = ((ConfigException) e).problems();
          assertThat(problems).containsExactly(
              file + " line 3: rbac.roles.oncall.admins: unknown key; known keys are usergroups, "
                  + "users",
              file + " line 3: rbac.roles.oncall.users[0]: must be a Slack user ID such as "
                  + "U0123ABC (the member ID in the user's profile), not a name (got \"alice\")",
              file + " line 3: rbac.roles.oncall.usergroups[0]: must be a Slack user-group ID "
                  + "such as S0123ABC (in the group's profile), not a handle (got "
                  + "\"oncall-team\")",
              file + " line 6: rbac.grants[0].role: unknown role \"opsen\"; roles are oncall, ok",
              file + " line 7: rbac.grants[1].actions[1]: unknown action; known actions are "
                  + "acknowledge, unacknowledge, silence, unsilence, snooze, remediate:<id> and "
                  + "approve:<id> (* matches any id) (got \"reboot\")",
              file + " line 7: rbac.grants[1].actions[2]: the part after remediate: must be an "
                  + "action id (letters, digits, . _ -, at most 64) or a pattern of them with * "
                  + "(got \"remediate:a/b\")",
              file + " line 7: rbac.grants[1].channels[0]: a channel is #name (lower case, as in "
                  + "Slack) or a channel ID such as C0123ABC (got \"prod\")",
              file + " line 7: rbac.grants[1].channels[1]: a channel is #name (lower case, as in "
                  + "Slack) or a channel ID such as C0123ABC (got \"#Prod\")",
              file + " line 8: rbac.grants[2].actions: required: a list of actions",
              file + " line 9: rbac.audit: unknown key; known keys are grants, roles");
        });
  }

  @Test
  void aSectionThatIsNotAMappingIsAnError() throws Exception {
    Path file = write("rbac: [oncall]\n");
    assertThatThrownBy(() -> Settings.load(Map.of("CONFIG_FILE", file.toString())))
        .hasMessage(file + " line 1: rbac: must be a mapping with the keys roles and grants");
  }

  @Test
  void checkConfigReportsRbacProblemsAndAcceptsTheExample() throws Exception {
    Path bad = write("rbac:\n  roles: {oncall: {users: [U0A]}}\n  grants:\n"
        + "    - {role: leads, actions: [silence]}\n");
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("check-config", bad.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("line 4: rbac.grants[0].role: unknown role \"leads\"");

    Path good = write(EXAMPLE);
    StringWriter out = new StringWriter();
    cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("check-config", good.toString())).isEqualTo(0);
    assertThat(out.toString()).contains("rbac: 2 roles, 2 grants");
  }
}
