package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.StaleRules;
import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleRulesFileTest {
    static final TenantId ACME = TenantId.of("acme");
    static final String VALID = """
            {"tenants": {"acme": {"overdueBy": "P7D", "action": "skip",
                                  "types": {"call": {"overdueBy": "P3D", "action": "archive"}}},
                         "globex": {"types": {"manualEmail": {"overdueBy": "PT36H"}}}}}""";

    @TempDir
    Path dir;

    @Test
    void aTenantsRuleTakesEveryTypeWithoutOneOfItsOwn() throws IOException {
        assertThat(load(VALID).ruleFor(ACME, TaskType.TO_DO)).contains(StaleRule.skipAfter(Duration.ofDays(7)));
    }

    @Test
    void aTypesRuleTakesPrecedenceOverItsTenants() throws IOException {
        assertThat(load(VALID).ruleFor(ACME, TaskType.CALL)).contains(StaleRule.archiveAfter(Duration.ofDays(3)));
    }

    @Test
    void aRuleWithoutActionSkipsAndATenantWithOnlyTypeRulesKeepsItsOtherTasks() throws IOException {
        StaleRules rules = load(VALID);

        assertThat(rules.ruleFor(TenantId.of("globex"), TaskType.MANUAL_EMAIL))
                .contains(StaleRule.skipAfter(Duration.ofHours(36)));
        assertThat(rules.ruleFor(TenantId.of("globex"), TaskType.CALL)).isEmpty();
    }

    @Test
    void aTenantNotInTheFileHasNoRule() throws IOException {
        assertThat(load(VALID).ruleFor(TenantId.of("initech"), TaskType.CALL)).isEmpty();
    }

    @Test
    void everyProblemIsNamedAtOnce() throws IOException {
        Path file = Files.writeString(dir.resolve("stale.json"), """
                {"tenants": {"acme": {"overdueBy": "P0D", "action": "delete",
                                      "types": {"fax": {"overdueBy": "P1D"}, "call": {"action": "skip", "when": 1}}},
                             "ac/me": {"overdueBy": "P1D"},
                             "globex": {}},
                 "defaults": {}}""");

        assertThatThrownBy(() -> StaleRulesFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stale rules file " + file + " is refused, 8 problems:\n"
                        + "  /defaults: unknown field; known: [tenants]\n"
                        + "  /tenants/acme/overdueBy: a positive ISO-8601 duration such as \"P7D\" or \"PT36H\", not"
                        + " \"P0D\"\n"
                        + "  /tenants/acme/action: skip or archive, not \"delete\"\n"
                        + "  /tenants/acme/types/fax: a task type, one of toDo, call, meeting, linkedIn, manualEmail,"
                        + " sms, whatsApp\n"
                        + "  /tenants/acme/types/call/when: unknown field; known: [action, overdueBy]\n"
                        + "  /tenants/acme/types/call/overdueBy: a positive ISO-8601 duration such as \"P7D\" or"
                        + " \"PT36H\" is required: how long past its due time a task is stale\n"
                        + "  /tenants/ac~1me: " + JsonSettingsReader.TENANT_ID + "\n"
                        + "  /tenants/globex: a tenant has a rule (overdueBy, action), rules by type (types), or both");
    }

    @Test
    void aWaitLongerThanAnyTaskCanSpanIsRefused() throws IOException {
        Path file = Files.writeString(
                dir.resolve("stale.json"), "{\"tenants\": {\"acme\": {\"overdueBy\": \"PT9223372036854775807S\"}}}");

        assertThatThrownBy(() -> StaleRulesFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stale rules file " + file + " is refused, 1 problem:\n"
                        + "  /tenants/acme/overdueBy: at most the span of a task's times (2015-01-01 to 9999-12-31),"
                        + " not \"PT9223372036854775807S\"");
    }

    @Test
    void theExampleFileIsAccepted() {
        StaleRules rules = StaleRulesFile.load(Path.of("examples/stale-rules.json"));

        assertThat(rules.ruleFor(TenantId.of("demo"), TaskType.CALL))
                .contains(StaleRule.archiveAfter(Duration.ofDays(3)));
        assertThat(rules.ruleFor(TenantId.of("demo"), TaskType.TO_DO))
                .contains(StaleRule.skipAfter(Duration.ofDays(14)));
    }

    @Test
    void aFileThatIsNotJsonIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("stale.json"), "{\"tenants\": ");

        assertThatThrownBy(() -> StaleRulesFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be read as JSON");
    }

    private StaleRules load(String json) throws IOException {
        return StaleRulesFile.load(Files.writeString(dir.resolve("stale.json"), json));
    }
}
