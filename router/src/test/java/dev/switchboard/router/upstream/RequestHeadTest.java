package dev.switchboard.router.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    private static final HttpString N = new HttpString("X-N");

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    @Test
    void numbersAreWrittenAsDecimalDigits() {
        ByteBuffer b = RequestHead.forThisThread().requestLine(Methods.GET, "/n")
                .header(N, 0).header(N, 7).header(N, 1234567890123L).header(N, Long.MAX_VALUE).header(N, -5)
                .header(Headers.CONTENT_LENGTH, 100).end();
        assertThat(text(b)).isEqualTo("GET /n HTTP/1.1\r\nX-N: 0\r\nX-N: 7\r\nX-N: 1234567890123\r\nX-N: "
                + Long.MAX_VALUE + "\r\nX-N: -5\r\nContent-Length: 100\r\n\r\n");
    }

    @Test
    void eachHeadIsExactlyItsOwnBytesAlsoAfterTheArrayGrew() {
        String big = "v".repeat(10_000);
        ByteBuffer first = RequestHead.forThisThread().requestLine(Methods.POST, "/big").header(N, big).end();
        assertThat(first.remaining()).isEqualTo(("POST /big HTTP/1.1\r\nX-N: " + big + "\r\n\r\n").length());
        ByteBuffer second = RequestHead.forThisThread().requestLine(Methods.GET, "/small").end();
        assertThat(text(second)).isEqualTo("GET /small HTTP/1.1\r\n\r\n");
        ByteBuffer third = RequestHead.forThisThread().requestLine(Methods.GET, "/s").end();
        assertThat(third).isSameAs(second);
        assertThat(text(third)).isEqualTo("GET /s HTTP/1.1\r\n\r\n");
    }
}
