package dev.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationDeserializerTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "0s, 0",
            "0ms, 0",
            "1ms, 1000000",
            "250ms, 250000000",
            "1.5ms, 1500000",
            "1s, 1000000000",
            "1.5s, 1500000000",
            "0.001s, 1000000",
            "2m, 120000000000",
            "1h, 3600000000000",
            "' 5s ', 5000000000",
            "5 s, 5000000000",
            "90m, 5400000000000"})
    void parsesEachUnit(String text, long nanos) {
        assertThat(DurationDeserializer.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"5", "5 seconds", "5sec", "5S", "1d", "1h30m", "-1s", "+1s", "1e3s", "1.s", ".5s", "s", "ms",
            "NaNs", "Infinitys", "0x10s", "1_000ms", "5  s", "1.5.1s", "9999999999999999h"})
    void rejectsEverythingElse(String text) {
        assertThatThrownBy(() -> DurationDeserializer.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1281023h, true", "1281024h, false"})
    void capsAtHalfTheLongNanosecondRange(String text, boolean accepted) {
        if (accepted) {
            assertThat(DurationDeserializer.parse(text)).isEqualTo(Duration.ofHours(1281023));
        } else {
            assertThatThrownBy(() -> DurationDeserializer.parse(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
