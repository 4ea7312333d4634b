package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {
    // The signing vector of the official Standard Webhooks libraries' tests (libraries/java TestScenario.validSigned,
    // and the same in their Go, C# and JavaScript tests): the result their verifiers accept.
    private static final String OFFICIAL_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OFFICIAL_MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long OFFICIAL_TIMESTAMP = 1614265330L;
    private static final byte[] OFFICIAL_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String OFFICIAL_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aDeliverySignedWithOneSecretCarriesTheSignatureTheOfficialLibrariesExpect() {
        assertThat(WebhookSignatures.sign(
                        OFFICIAL_MESSAGE_ID, OFFICIAL_TIMESTAMP, OFFICIAL_BODY, List.of(OFFICIAL_SECRET)))
                .isEqualTo(OFFICIAL_SIGNATURE);
    }

    @Test
    void duringARotationASubscriberThatKnowsOnlyTheNewSecretFindsItsSignature() {
        String header = WebhookSignatures.sign(
                OFFICIAL_MESSAGE_ID, OFFICIAL_TIMESTAMP, OFFICIAL_BODY, List.of(OLD_SECRET, OFFICIAL_SECRET));

        assertThat(List.of(header.split(" "))).hasSize(2).element(1).isEqualTo(OFFICIAL_SIGNATURE);
    }

    @Test
    void duringARotationEachSecretSignsOnItsOwn() {
        String header = WebhookSignatures.sign(
                OFFICIAL_MESSAGE_ID, OFFICIAL_TIMESTAMP, OFFICIAL_BODY, List.of(OLD_SECRET, OFFICIAL_SECRET));

        assertThat(header.split(" ")[0])
                .isEqualTo(WebhookSignatures.sign(
                        OFFICIAL_MESSAGE_ID, OFFICIAL_TIMESTAMP, OFFICIAL_BODY, List.of(OLD_SECRET)))
                .isNotEqualTo(OFFICIAL_SIGNATURE);
    }

    @Test
    void anotherBodyHasAnotherSignature() {
        byte[] otherBody = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignatures.sign(OFFICIAL_MESSAGE_ID, OFFICIAL_TIMESTAMP, otherBody, List.of(OFFICIAL_SECRET)))
                .isNotEqualTo(OFFICIAL_SIGNATURE);
    }

    @Test
    void signingWithoutASecretIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        WebhookSignatures.sign(OFFICIAL_MESSAGE_ID, OFFICIAL_TIMESTAMP, OFFICIAL_BODY, List.of()));
    }

    @Test
    void signingWithABadSecretIsRefusedWithItsProblem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WebhookSignatures.sign(
                        OFFICIAL_MESSAGE_ID,
                        OFFICIAL_TIMESTAMP,
                        OFFICIAL_BODY,
                        List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                .withMessageContaining("whsec_");
    }

    @Test
    void aNewSecretIsPrefixedBase64OfThirtyTwoBytes() {
        String secret = WebhookSignatures.newSecret(new SecureRandom());

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                .hasSize(32);
    }

    @Test
    void newSecretsDiffer() {
        SecureRandom random = new SecureRandom();
        assertThat(WebhookSignatures.newSecret(random)).isNotEqualTo(WebhookSignatures.newSecret(random));
    }

    @Test
    void aNewSecretHasNoProblem() {
        assertThat(WebhookSignatures.secretProblem(WebhookSignatures.newSecret(new SecureRandom())))
                .isEmpty();
    }

    @Test
    void theOfficialSecretHasNoProblem() {
        assertThat(WebhookSignatures.secretProblem(OFFICIAL_SECRET)).isEmpty();
    }

    @Test
    void aSecretWithoutItsPrefixIsAProblem() {
        assertThat(WebhookSignatures.secretProblem("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .get()
                .asString()
                .contains("starts with whsec_");
    }

    @Test
    void aMissingSecretIsAProblem() {
        assertThat(WebhookSignatures.secretProblem(null)).isPresent();
    }

    @Test
    void aSecretThatIsNotStandardBase64IsAProblem() {
        assertThat(WebhookSignatures.secretProblem("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La-_Sw"))
                .get()
                .asString()
                .contains("base64");
    }

    @Test
    void aKeyShorterThanTwentyFourBytesIsAProblem() {
        assertThat(WebhookSignatures.secretProblem(secretOf(23)))
                .get()
                .asString()
                .contains("is 23");
    }

    @Test
    void aKeyLongerThanSixtyFourBytesIsAProblem() {
        assertThat(WebhookSignatures.secretProblem(secretOf(65)))
                .get()
                .asString()
                .contains("is 65");
    }

    @Test
    void keysOfTwentyFourAndSixtyFourBytesAreFine() {
        assertThat(WebhookSignatures.secretProblem(secretOf(24))).isEmpty();
        assertThat(WebhookSignatures.secretProblem(secretOf(64))).isEmpty();
    }

    private static String secretOf(int bytes) {
        return "whsec_" + Base64.getEncoder().encodeToString(new byte[bytes]);
    }
}
