package dev.switchboard.router.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Elements of comma-separated header values, as a list and as allocation-free spans. */
class CommaListTest {

    private static List<String> walked(String value) {
        List<String> out = new ArrayList<>();
        for (long span = CommaList.first(value); span >= 0; span = CommaList.next(value, span)) {
            out.add(CommaList.element(value, span));
        }
        return out;
    }

    @Test
    void elementsAreTrimmedAndEmptyOnesDropped() {
        assertThat(CommaList.of("keep-alive")).containsExactly("keep-alive");
        assertThat(CommaList.of(" close ,\tX-Foo,, ,gzip ,")).containsExactly("close", "X-Foo", "gzip");
        assertThat(CommaList.of(",,, ")).isEmpty();
        assertThat(CommaList.of("")).isEmpty();
        assertThat(walked(" close ,\tX-Foo,, ,gzip ,")).containsExactly("close", "X-Foo", "gzip");
        assertThat(walked(" , ")).isEmpty();
    }

    @Test
    void isComparesWholeElementsIgnoringCase() {
        String value = "Keep-Alive, closed ,CLOSE,chunked";
        long first = CommaList.first(value);
        long second = CommaList.next(value, first);
        long third = CommaList.next(value, second);
        long fourth = CommaList.next(value, third);
        assertThat(CommaList.is(value, first, "keep-alive")).isTrue();
        assertThat(CommaList.is(value, second, "close")).as("closed is not close").isFalse();
        assertThat(CommaList.is(value, third, "close")).isTrue();
        assertThat(CommaList.is(value, fourth, "chunked")).isTrue();
        assertThat(CommaList.next(value, fourth)).isEqualTo(-1);
    }

    @Test
    void walkingSpansFindsWhatSplittingFinds() {
        Random random = new Random(42);
        String alphabet = "ab, \t,c";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = sb.toString();
            List<String> split = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                if (!part.trim().isEmpty()) {
                    split.add(part.trim());
                }
            }
            assertThat(walked(value)).as("'%s'", value).isEqualTo(split);
        }
    }
}
