package dev.switchboard.router.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteScanTest {

    private static int naiveLineFeed(byte[] b, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return limit;
    }

    private static int naiveControl(byte[] b, int from, int limit) {
        for (int i = from; i < limit; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 || c == 0x7F) {
                return i;
            }
        }
        return limit;
    }

    @Test
    void findsTheFirstMatchAtEveryOffsetWithinAndAcrossWords() {
        // Fillers next to the borders of what is matched: space, '~', DEL's neighbours, obs-text.
        byte[] fillers = {' ', '~', 'a', (byte) 0x80, (byte) 0x9F, (byte) 0xA0, (byte) 0xFF, 0x0B + 0x20};
        byte[] targets = {'\n', '\r', '\t', 0, 0x1F, 0x7F};
        for (byte filler : fillers) {
            for (byte target : targets) {
                for (int from = 0; from < 9; from++) {
                    for (int at = from; at < 30; at++) {
                        byte[] b = new byte[32];
                        java.util.Arrays.fill(b, filler);
                        b[at] = target;
                        b[at + 1] = '\n'; // a later match must not win over the first
                        assertThat(ByteScan.control(b, from, b.length)).as("control %x in %x at %d from %d", target, filler, at, from)
                                .isEqualTo(at);
                        assertThat(ByteScan.lineFeed(b, from, b.length)).isEqualTo(target == '\n' ? at : at + 1);
                    }
                }
            }
        }
    }

    @Test
    void stopsAtTheLimitWithoutLookingPastIt() {
        byte[] b = "abcdefghij\nklmnop".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(ByteScan.lineFeed(b, 0, 10)).isEqualTo(10);
        assertThat(ByteScan.control(b, 0, 10)).isEqualTo(10);
        assertThat(ByteScan.lineFeed(b, 0, 11)).isEqualTo(10);
        assertThat(ByteScan.lineFeed(b, 11, b.length)).isEqualTo(b.length);
        assertThat(ByteScan.control(b, 3, 3)).isEqualTo(3);
    }

    @Test
    void agreesWithAByteByByteScanOnRandomText() {
        SplittableRandom random = new SplittableRandom(20261205);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(1, 80)];
            for (int i = 0; i < b.length; i++) {
                // mostly printable, sometimes any byte at all
                b[i] = (byte) (random.nextInt(40) == 0 ? random.nextInt(256) : random.nextInt(0x20, 0x7F));
            }
            int from = random.nextInt(b.length);
            int limit = random.nextInt(from, b.length + 1);
            assertThat(ByteScan.lineFeed(b, from, limit)).isEqualTo(naiveLineFeed(b, from, limit));
            assertThat(ByteScan.control(b, from, limit)).isEqualTo(naiveControl(b, from, limit));
        }
    }
}
