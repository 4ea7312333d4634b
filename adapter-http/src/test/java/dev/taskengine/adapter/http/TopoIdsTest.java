package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.TenantId;
import org.junit.jupiter.api.Test;

class TopoIdsTest {

    @Test
    void aNumberTravelsInTheLowBitsOfAUuidAndBack() {
        assertThat(TopoIds.of(42)).isEqualTo("00000000-0000-0000-0000-00000000002a");
        assertThat(TopoIds.of(Long.MAX_VALUE)).isEqualTo("00000000-0000-0000-7fff-ffffffffffff");
        assertThat(TopoIds.number(TopoIds.of(123_456_789_012L))).hasValue(123_456_789_012L);
        assertThat(TopoIds.number(TopoIds.of(Long.MAX_VALUE))).hasValue(Long.MAX_VALUE);
    }

    @Test
    void aUuidOfAnotherFormCarriesNoNumber() {
        assertThat(TopoIds.number("3c90c3cc-0d44-4b50-8888-8dd25736052a")).isEmpty();
        assertThat(TopoIds.number("00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThat(TopoIds.isUuid("1-2-3-4-5")).isFalse();
    }

    @Test
    void aTenantIsCarriedAsItselfWhenItIsAUuidAndByNameOtherwise() {
        assertThat(TopoIds.organization(TenantId.of("3C90C3CC-0D44-4B50-8888-8DD25736052A")))
                .isEqualTo("3c90c3cc-0d44-4b50-8888-8dd25736052a");
        assertThat(TopoIds.organization(TenantId.of("acme")))
                .isEqualTo(TopoIds.organization(TenantId.of("acme")))
                .isNotEqualTo(TopoIds.organization(TenantId.of("globex")));
    }
}
