package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.adapter.http.HttpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

    @Test
    void withNothingGivenTheDefaultsApply() {
        ServerOptions options = ServerOptions.parse(new String[0], Map.of());

        assertThat(options).isEqualTo(ServerOptions.defaults());
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.database()).isEqualTo("jdbc:h2:file:./data/taskengine-server;WRITE_DELAY=0");
        assertThat(options.apiKeys()).isEmpty();
        assertThat(options.enumStyle()).isEqualTo(HttpSettings.EnumStyle.NAMES);
        assertThat(options.rateLimitPerMinute()).isZero();
    }

    @Test
    void flagsWinOverTheEnvironmentAndKeysRepeat() {
        ServerOptions options = ServerOptions.parse(
                new String[] {
                    "--port",
                    "9090",
                    "--api-key",
                    "a=acme:1",
                    "--api-key=b=acme:2",
                    "--enum-format",
                    "codes",
                    "--contacts=contacts.json"
                },
                Map.of(
                        "TASKENGINE_PORT",
                        "7070",
                        "TASKENGINE_API_KEYS",
                        "c=x:3",
                        "TASKENGINE_RATE_LIMIT",
                        "100",
                        "TASKENGINE_DB_URL",
                        "jdbc:postgresql://127.0.0.1:5432/taskengine"));

        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.apiKeys()).containsExactly("a=acme:1", "b=acme:2");
        assertThat(options.enumStyle()).isEqualTo(HttpSettings.EnumStyle.CODES);
        assertThat(options.contacts()).contains(Path.of("contacts.json"));
        assertThat(options.rateLimitPerMinute()).isEqualTo(100);
        assertThat(options.database()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/taskengine");
    }

    @Test
    void keysComeFromOneCommaSeparatedVariable() {
        ServerOptions options =
                ServerOptions.parse(new String[0], Map.of("TASKENGINE_API_KEYS", "a=acme:1, b=globex:2"));

        assertThat(options.apiKeys()).isEqualTo(List.of("a=acme:1", "b=globex:2"));
    }

    @Test
    void anUnknownFlagIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--prot", "1"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--prot")
                .hasMessageContaining("usage");
    }

    @Test
    void theCursorSecretComesFromItsVariable() {
        ServerOptions options =
                ServerOptions.parse(new String[0], Map.of("TASKENGINE_CURSOR_SECRET", "sixteen bytes at least"));

        assertThat(options.cursorSecret()).contains("sixteen bytes at least");
    }

    @Test
    void aCursorSecretShorterThanSixteenBytesIsRefused() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--cursor-secret", "short"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
    }

    @Test
    void theSendingSettingsFileComesFromItsFlag() {
        ServerOptions options = ServerOptions.parse(new String[] {"--sending-settings", "sending.json"}, Map.of());

        assertThat(options.sendingSettings()).contains(Path.of("sending.json"));
    }

    @Test
    void theSendingSettingsFileComesFromItsVariable() {
        ServerOptions options =
                ServerOptions.parse(new String[0], Map.of("TASKENGINE_SENDING_SETTINGS", "sending.json"));

        assertThat(options.sendingSettings()).contains(Path.of("sending.json"));
    }

    @Test
    void theStaleRulesFileAndTheHistoryRetentionComeFromTheirFlags() {
        ServerOptions options = ServerOptions.parse(
                new String[] {"--stale-rules", "stale.json", "--history-retention", "P30D"}, Map.of());

        assertThat(options.staleRules()).contains(Path.of("stale.json"));
        assertThat(options.historyRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void theHistoryRetentionIsNinetyDaysUnlessGiven() {
        assertThat(ServerOptions.parse(new String[0], Map.of()).historyRetention())
                .isEqualTo(Duration.ofDays(90));
    }

    @Test
    void aHistoryRetentionThatIsNotAPositiveDurationIsRefused() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], Map.of("TASKENGINE_HISTORY_RETENTION", "-P1D")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("history-retention is a positive ISO-8601 duration such as P90D, not '-P1D'");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--history-retention", "90 days"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not '90 days'");
    }

    // --- webhooks

    @Test
    void webhooksAreOnByDefaultAndDeliveredOnlyToPublicHttpsTargets() {
        ServerOptions options = ServerOptions.parse(new String[0], Map.of());

        assertThat(options.webhooks()).isTrue();
        assertThat(options.webhooksAllowHttp()).isFalse();
        assertThat(options.webhooksAllowPrivate()).isFalse();
    }

    @Test
    void webhookSwitchesStandAloneOrTakeAWord() {
        ServerOptions options = ServerOptions.parse(
                new String[] {"--webhooks-allow-http", "--webhooks-allow-private", "off", "--port", "9090"}, Map.of());

        assertThat(options.webhooksAllowHttp()).isTrue();
        assertThat(options.webhooksAllowPrivate()).isFalse();
        assertThat(options.port()).isEqualTo(9090);
        assertThat(ServerOptions.parse(new String[] {"--webhooks-allow-private=true"}, Map.of())
                        .webhooksAllowPrivate())
                .isTrue();
        assertThat(ServerOptions.parse(new String[] {"--webhooks", "off"}, Map.of())
                        .webhooks())
                .isFalse();
    }

    @Test
    void webhookSettingsComeFromTheEnvironmentWhenNoFlagGivesThem() {
        ServerOptions options = ServerOptions.parse(
                new String[] {"--webhooks=on"},
                Map.of(
                        "TASKENGINE_WEBHOOKS",
                        "off",
                        "TASKENGINE_WEBHOOKS_ALLOW_HTTP",
                        "ON",
                        "TASKENGINE_WEBHOOKS_ALLOW_PRIVATE",
                        "true"));

        assertThat(options.webhooks()).as("the flag wins").isTrue();
        assertThat(options.webhooksAllowHttp()).isTrue();
        assertThat(options.webhooksAllowPrivate()).isTrue();
        assertThat(ServerOptions.parse(new String[0], Map.of("TASKENGINE_WEBHOOKS", "off"))
                        .webhooks())
                .isFalse();
    }

    @Test
    void aBadWebhookSettingIsNamed() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--webhooks", "maybe"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhooks is on or off, not 'maybe'");
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], Map.of("TASKENGINE_WEBHOOKS_ALLOW_HTTP", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhooks-allow-http is on, off, true or false, not 'yes'");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--webhooks-allow-private=2"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhooks-allow-private");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--webhooks"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--webhooks needs a value");
        assertThat(ServerOptions.USAGE).contains("--webhooks on|off", "TASKENGINE_WEBHOOKS_ALLOW_PRIVATE");
    }
}
