package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.WebhookListener;
import dev.taskengine.api.WebhookOptions;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** How long a failed delivery waits before its next attempt. */
class WebhookDispatchTest {
    private static final WebhookOptions OPTIONS =
            WebhookOptions.defaults().withRetries(Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofMinutes(1));

    private static WebhookDispatch dispatch(double random) {
        RandomGenerator fixed = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return random;
            }
        };
        return new WebhookDispatch(null, OPTIONS, Clock.systemUTC(), fixed, WebhookListener.logging());
    }

    @Test
    void theFirstFailureWaitsTheFirstRetryWait() {
        assertThat(dispatch(0).retryAfter(1, Optional.empty())).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void eachFailureDoublesTheWait() {
        assertThat(dispatch(0).retryAfter(2, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
        assertThat(dispatch(0).retryAfter(4, Optional.empty())).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void theWaitNeverExceedsTheLongest() {
        assertThat(dispatch(0).retryAfter(5, Optional.empty())).isEqualTo(Duration.ofMinutes(1));
        assertThat(dispatch(0).retryAfter(500, Optional.empty())).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void jitterTakesUpToHalfTheWaitOff() {
        assertThat(dispatch(0.5).retryAfter(1, Optional.empty())).isEqualTo(Duration.ofMillis(3750));
        assertThat(dispatch(0.999_999).retryAfter(3, Optional.empty()))
                .isGreaterThan(Duration.ofSeconds(10))
                .isLessThanOrEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theReceiversRetryAfterIsHonouredUpToTheLongestWait() {
        assertThat(dispatch(0).retryAfter(1, Optional.of(Duration.ofSeconds(30))))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(dispatch(0).retryAfter(1, Optional.of(Duration.ofHours(3)))).isEqualTo(Duration.ofMinutes(1));
        assertThat(dispatch(0).retryAfter(3, Optional.of(Duration.ofSeconds(1))))
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aClaimTakesNoMoreThanTheThreadsCanAttemptWithinTheLease() {
        WebhookOptions options = WebhookOptions.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15))
                .withDelivery(4, 50, Duration.ofMinutes(2));
        WebhookDispatch dispatch =
                new WebhookDispatch(null, options, Clock.systemUTC(), new java.util.SplittableRandom(), null);

        assertThat(dispatch.claimLimit(true)).isEqualTo(24);
        assertThat(dispatch.claimLimit(false)).isEqualTo(6);
    }

    @Test
    void aClaimTakesAtMostABatch() {
        WebhookOptions options = WebhookOptions.defaults()
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withDelivery(4, 10, Duration.ofMinutes(2));
        WebhookDispatch dispatch =
                new WebhookDispatch(null, options, Clock.systemUTC(), new java.util.SplittableRandom(), null);

        assertThat(dispatch.claimLimit(true)).isEqualTo(10);
    }

    @Test
    void closingLetsTheTransportGoAndTheNextAttemptOpensANewOne() throws Exception {
        WebhookDispatch dispatch = dispatch(0);
        WebhookTransport first = dispatch.transport();
        int port = first.tunnelPort();

        dispatch.close();

        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        WebhookTransport second = dispatch.transport();
        try {
            assertThat(second).isNotSameAs(first);
            new Socket(InetAddress.getLoopbackAddress(), second.tunnelPort()).close();
        } finally {
            dispatch.close();
        }
    }

    @Test
    void closingWithoutATransportDoesNothing() {
        dispatch(0).close();
    }
}
