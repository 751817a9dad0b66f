package dev.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeDeserializerTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "512, 512",
            "512B, 512",
            "16KiB, 16384",
            "16 KiB, 16384",
            "1MiB, 1048576",
            "2GiB, 2147483648",
            "' 1KiB ', 1024",
            "8589934591GiB, 9223372035781033984"})
    void parsesBinaryUnits(String text, long bytes) {
        assertThat(ByteSizeDeserializer.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-1", "-1KiB", "1.5MiB", "16kb", "16KB", "16K", "16kib", "1TiB", "KiB", "12 parsecs",
            "8589934592GiB", "99999999999999999999", "1e3", "0x10", "16  KiB"})
    void rejectsEverythingElse(String text) {
        assertThatThrownBy(() -> ByteSizeDeserializer.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindsNumbersAndStringsInYaml() throws Exception {
        SwitchboardConfig c = ConfigLoader.withEnvironment(Map.of())
                .parse("listen: {max_header_size: 2048, max_request_body: 1MiB}");

        assertThat(c.listen().maxHeaderSize()).isEqualTo(2048L);
        assertThat(c.listen().maxRequestBody()).isEqualTo(1048576L);
    }
}
