package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyDigestsTest {

    @Test
    void aKeyIsAddedOnceAndFoundAfter() {
        KeyDigests keys = new KeyDigests();

        assertThat(keys.contains("acme/3/2")).isFalse();
        assertThat(keys.add("acme/3/2")).isTrue();
        assertThat(keys.add("acme/3/2")).isFalse();
        assertThat(keys.contains("acme/3/2")).isTrue();
        assertThat(keys.size()).isEqualTo(1);
    }

    @Test
    void everyKeyIsStillFoundAfterTheTableGrowsManyTimes() {
        KeyDigests keys = new KeyDigests();
        for (int key = 0; key < 200_000; key++) {
            keys.add("acme/" + key + "/1");
        }

        assertThat(keys.size()).isEqualTo(200_000);
        for (int key = 0; key < 200_000; key++) {
            assertThat(keys.contains("acme/" + key + "/1")).as("acme/%d/1", key).isTrue();
            assertThat(keys.contains("acme/" + key + "/2")).as("acme/%d/2", key).isFalse();
        }
    }

    @Test
    void keysThatDifferOnlyInCaseOrByAnInvisibleCharacterAreDifferentKeys() {
        KeyDigests keys = new KeyDigests();
        keys.add("acme/3/2");

        assertThat(keys.contains("ACME/3/2")).isFalse();
        assertThat(keys.contains("acme/3/2\u200b")).isFalse();
        assertThat(keys.contains("")).isFalse();
    }
}
