package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashKeysTest {

    /** Reference values from libxxhash 0.8.1 (XXH64, seed 0). */
    @Test
    void matchesTheReferenceXxh64() {
        assertThat(HashKeys.hash("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(HashKeys.hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(HashKeys.hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(HashKeys.hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
        assertThat(HashKeys.hash("0123456789abcdef0123456789abcdef-xyz")).isEqualTo(0x9D5902BF0AD95334L);
        assertThat(HashKeys.hash("héllo wörld")).isEqualTo(0x60041BFEC530413CL);
    }

    @Test
    void stringsHashAsTheirUtf8Bytes() {
        for (String s : new String[] {"", "x", "10.0.0.1", "session-1234567890-abcdefghijklmnopqrstuvwxyz", "ünï©ødé"}) {
            assertThat(HashKeys.hash(s)).isEqualTo(HashKeys.hash(s.getBytes(StandardCharsets.UTF_8)));
            assertThat(HashKeys.hash(new StringBuilder(s))).isEqualTo(HashKeys.hash(s));
        }
    }

    @Test
    void addressesHashTheirBytes() throws Exception {
        assertThat(HashKeys.hash(InetAddress.getByName("10.0.0.1"))).isEqualTo(0x49563B5083B99AFFL);
        assertThat(HashKeys.hash(InetAddress.getByName("2001:db8::1"))).isEqualTo(0x97F11E0685F67AE8L);
    }

    @Test
    void mixSpreadsNeighbouringKeys() {
        Set<Long> topBytes = new HashSet<>();
        for (long k = 0; k < 4096; k++) {
            topBytes.add(HashKeys.mix(k) >>> 56);
        }
        assertThat(topBytes).hasSize(256); // consecutive integers land all over the range
        assertThat(HashKeys.mix(1)).isNotEqualTo(HashKeys.mix(2));
    }
}
