package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActorTest {
    @Test
    void aUserIsWrittenWithItsId() {
        assertThat(Actor.user(42).wireName()).isEqualTo("user:42");
    }

    @Test
    void theEnginesOwnPartsHaveStableNames() {
        assertThat(Actor.SCHEDULER.wireName()).isEqualTo("system:scheduler");
        assertThat(Actor.SENDING_POLICY.wireName()).isEqualTo("system:sendingPolicy");
        assertThat(Actor.STALE_RULE.wireName()).isEqualTo("system:staleRule");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user:1", "user:9007199254740993", "system:scheduler", "system:crm-sync.v2"})
    void anActorReadsBackFromItsWireName(String wireName) {
        assertThat(Actor.parse(wireName).wireName()).isEqualTo(wireName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "user:", "user:x", "user:0", "user:-3", "system:", "system:1abc", "robot:1"})
    void textNoActorHasIsRefused(String wireName) {
        assertThatThrownBy(() -> Actor.parse(wireName)).isInstanceOf(IllegalArgumentException.class);
    }
}
