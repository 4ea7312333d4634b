package dev.taskengine.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.Content;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.SendingRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    void theQuickStartRendersTheEmailForAda() {
        assertThat(QuickStart.run())
                .isEqualTo(new Rendering.Rendered(Content.of("Hello Ada", "Hi Ada, shall we talk?")));
    }

    @Test
    void theReadmeQuotesTheQuickStartAsItCompiles() throws IOException {
        assertThat(readme()).contains(snippet("quickstart"));
    }

    @Test
    void theReadmeQuotesTheSendingRulesAsTheyCompile() throws IOException {
        assertThat(readme()).contains(snippet("sendingrules"));
    }

    @Test
    void theSendingRulesGiveAnAccountItsOwnLimitsOverItsTenants() {
        SendingRules rules = QuickStart.sendingRules();
        TenantId acme = TenantId.of("acme");
        assertThat(rules.limits(acme, SendingAccount.email(EmailAccountId.of(12))))
                .isEqualTo(SendingLimits.none());
        assertThat(rules.limits(acme, SendingAccount.email(EmailAccountId.of(13)))
                        .perDay())
                .hasValue(50);
        assertThat(rules.limits(TenantId.of("globex"), SendingAccount.email(EmailAccountId.of(13)))
                        .perDay())
                .hasValue(200);
    }

    @Test
    void theReadmeQuotesTheWebhookCheckAsItCompiles() throws IOException {
        assertThat(readme()).contains(snippet("webhookcheck"));
    }

    /** The signing example of the Standard Webhooks libraries' own tests. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String SIGNED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void theWebhookCheckAcceptsASignatureOfTheStandardsExample() throws Exception {
        assertThat(QuickStart.verified(
                        SECRET,
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "1614265330",
                        "{\"test\": 2432232314}",
                        "v1,bm9ldHRoZXNpZ25hdHVyZQ== " + SIGNED,
                        java.time.Instant.ofEpochSecond(1614265330 + 60)))
                .isTrue();
    }

    @Test
    void theWebhookCheckRefusesAChangedBody() throws Exception {
        assertThat(QuickStart.verified(
                        SECRET,
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "1614265330",
                        "{\"test\": 2432232315}",
                        SIGNED,
                        java.time.Instant.ofEpochSecond(1614265330)))
                .isFalse();
    }

    @Test
    void theWebhookCheckRefusesAnOldTimestamp() throws Exception {
        assertThat(QuickStart.verified(
                        SECRET,
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "1614265330",
                        "{\"test\": 2432232314}",
                        SIGNED,
                        java.time.Instant.ofEpochSecond(1614265330 + 301)))
                .isFalse();
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    }

    /** The code between a tag's markers in QuickStart.java, as the README quotes it (one level of indentation less). */
    private static String snippet(String tag) throws IOException {
        String source = Files.readString(
                Path.of("src/main/java/dev/taskengine/example/QuickStart.java"), StandardCharsets.UTF_8);
        String snippet = between(source, "// tag::" + tag + "[]\n", "        // end::" + tag + "[]");
        return Arrays.stream(snippet.split("\n"))
                .map(line -> line.startsWith("        ") ? line.substring(8) : line)
                .collect(Collectors.joining("\n"));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from)).stripTrailing();
    }
}
