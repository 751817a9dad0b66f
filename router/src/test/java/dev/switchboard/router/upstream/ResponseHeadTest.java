package dev.switchboard.router.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {

    private final HeaderMap out = new HeaderMap();

    private static ByteBuffer bytes(String s) {
        ByteBuffer b = ByteBuffer.allocateDirect(16 * 1024);
        b.put(s.getBytes(StandardCharsets.ISO_8859_1)).flip();
        return b;
    }

    private ResponseHead parse(String s) throws InvalidResponseException {
        return ResponseHead.parse(bytes(s), out, false, false);
    }

    @Test
    void parsesStatusReasonHeadersAndLeavesTheBodyInTheBuffer() throws Exception {
        ByteBuffer b = bytes("HTTP/1.1 201 Created Here\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\nContent-Type: text/plain\r\n\r\nhello");
        ResponseHead head = ResponseHead.parse(b, out, false, false);
        assertThat(head.status()).isEqualTo(201);
        assertThat(head.reason()).isEqualTo("Created Here");
        assertThat(head.framing()).isEqualTo(ResponseHead.Framing.LENGTH);
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.keepAlive()).isTrue();
        assertThat(out.get("X-A")).containsExactly("1", "2");
        assertThat(out.getFirst(Headers.CONTENT_TYPE)).isEqualTo("text/plain");
        assertThat(StandardCharsets.ISO_8859_1.decode(b).toString()).isEqualTo("hello");
    }

    @Test
    void onlyAReasonPhraseOtherThanTheStandardOneIsCustom() throws Exception {
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").customReason()).isNull();
        assertThat(parse("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").customReason()).isNull();
        assertThat(parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").customReason()).isNull();
        assertThat(parse("HTTP/1.1 200 ok\r\nContent-Length: 0\r\n\r\n").customReason()).isEqualTo("ok");
        assertThat(parse("HTTP/1.1 200 OK then\r\nContent-Length: 0\r\n\r\n").customReason()).isEqualTo("OK then");
        assertThat(parse("HTTP/1.1 599 Network Read Timeout\r\nContent-Length: 0\r\n\r\n").customReason())
                .isEqualTo("Network Read Timeout");
    }

    @Test
    void anIncompleteHeadIsNotConsumed() throws Exception {
        ByteBuffer b = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n");
        assertThat(ResponseHead.parse(b, out, false, false)).isNull();
        assertThat(b.position()).isZero();
    }

    @Test
    void garbageFailsOnItsFirstBytesWithoutWaitingForAnEmptyLine() {
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH_9.2\r\n")).isInstanceOf(InvalidResponseException.class);
        assertThatThrownBy(() -> parse("HTTP/2 200\r\n")).isInstanceOf(InvalidResponseException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 2x0 OK\r\n\r\n")).isInstanceOf(InvalidResponseException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 099 Low\r\n\r\n")).isInstanceOf(InvalidResponseException.class);
    }

    @Test
    void hopByHopHeadersAndThoseNamedInConnectionAreNotCopied() throws Exception {
        ResponseHead head = parse("HTTP/1.1 200 OK\r\nConnection: close, X-Private\r\nX-Private: secret\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: x\r\nTrailer: X-T\r\nX-Kept: yes\r\nContent-Length: 0\r\n\r\n");
        assertThat(head.keepAlive()).isFalse();
        assertThat(head.framing()).isEqualTo(ResponseHead.Framing.NONE);
        assertThat(out.getHeaderNames()).extracting(Object::toString).containsExactlyInAnyOrder("X-Kept", "Content-Length");
    }

    @Test
    void transferEncodingWinsOverContentLengthWhichIsDropped() throws Exception {
        ResponseHead head = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(head.framing()).isEqualTo(ResponseHead.Framing.CHUNKED);
        assertThat(out.contains(Headers.CONTENT_LENGTH)).isFalse();
        assertThat(out.contains(Headers.TRANSFER_ENCODING)).isFalse();
    }

    @Test
    void aTransferCodingOtherThanChunkedIsRefused() throws Exception {
        // RFC 9112 §6.3 would read "chunked, gzip" until close, but relaying it would hand the client
        // gzip-coded bytes without the coding; like nginx, only chunked (once) is accepted.
        for (String te : new String[] {"chunked, gzip", "gzip", "identity", "gzip, chunked", "chunked, chunked"}) {
            assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + te + "\r\n\r\n"))
                    .as(te).isInstanceOf(InvalidResponseException.class).hasMessageContaining("Transfer-Encoding");
        }
        // No body follows a 304 (or a HEAD's answer) whatever the coding: nothing to corrupt.
        assertThat(parse("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").framing())
                .isEqualTo(ResponseHead.Framing.NONE);
    }

    @Test
    void noLengthMeansUntilCloseAndHeadOr204Or304MeanNoBody() throws Exception {
        assertThat(parse("HTTP/1.1 200 OK\r\n\r\n").framing()).isEqualTo(ResponseHead.Framing.UNTIL_CLOSE);
        assertThat(ResponseHead.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"), new HeaderMap(), true, false).framing())
                .isEqualTo(ResponseHead.Framing.NONE);
        assertThat(parse("HTTP/1.1 204 No Content\r\n\r\n").framing()).isEqualTo(ResponseHead.Framing.NONE);
        assertThat(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n").framing()).isEqualTo(ResponseHead.Framing.NONE);
    }

    @Test
    void http10KeepsTheConnectionOnlyWhenAsked() throws Exception {
        assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
        assertThat(ResponseHead.parse(bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"),
                new HeaderMap(), false, false).keepAlive()).isTrue();
    }

    @Test
    void interimResponsesAreSkippedAndTheirHeadersDropped() throws Exception {
        ResponseHead head = parse("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(out.contains("Link")).isFalse();
    }

    @Test
    void switchingProtocolsOnlyAnswersAnUpgradeRequest() throws Exception {
        String upgrade = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\n\r\n";
        assertThatThrownBy(() -> parse(upgrade)).isInstanceOf(InvalidResponseException.class);
        ResponseHead head = ResponseHead.parse(bytes(upgrade), out, false, true);
        assertThat(head.status()).isEqualTo(101);
        assertThat(out.getFirst(Headers.CONNECTION)).isEqualTo("upgrade");
        assertThat(out.getFirst(Headers.UPGRADE)).isEqualTo("websocket");
        assertThat(out.getFirst("Sec-WebSocket-Accept")).isEqualTo("x");
    }

    @Test
    void smugglingShapesAreInvalid() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"))
                .hasMessageContaining("conflicting Content-Length");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\n")).hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n")).hasMessageContaining("folding");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n")).hasMessageContaining("header name");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")).hasMessageContaining("colon");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\n\r\n")).hasMessageContaining("control character");
    }

    @Test
    void controlCharactersAreRefusedWhereverTheyFallAndTabsAndObsTextAreKept() throws Exception {
        for (int at = 0; at < 17; at++) {
            String before = "v".repeat(at);
            for (char control : new char[] {0, 1, 0x1F, 0x7F, '\r'}) {
                String line = "X-A: " + before + control + "w";
                assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\n" + line + "\r\n\r\n"))
                        .as("control %x after %d bytes", (int) control, at).hasMessageContaining("control character");
            }
            out.clear();
            parse("HTTP/1.1 200 OK\r\nX-A: x" + before + "\t\u00ff\u0080 \tw\t\r\nContent-Length: 0\r\n\r\n");
            assertThat(out.getFirst("X-A")).isEqualTo("x" + before + "\t\u00ff\u0080 \tw");
        }
    }

    @Test
    void aReasonPhraseMayHoldTabsAndObsTextButNoOtherControlCharacter() throws Exception {
        assertThat(parse("HTTP/1.1 200 Fine\tand caf\u00e9\r\nContent-Length: 0\r\n\r\n").reason()).isEqualTo("Fine\tand caf\u00e9");
        for (char control : new char[] {0, 0x1F, 0x7F, '\r'}) {
            assertThatThrownBy(() -> parse("HTTP/1.1 200 Fine" + control + "x\r\nContent-Length: 0\r\n\r\n"))
                    .as("control %x", (int) control).hasMessageContaining("control character in the reason phrase");
        }
    }

    @Test
    void repeatedEqualContentLengthsAreOneAndObsTextIsKept() throws Exception {
        ResponseHead head = parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\nX-Name: caf\u00e9\r\n\r\n");
        assertThat(head.contentLength()).isEqualTo(3);
        assertThat(out.get(Headers.CONTENT_LENGTH)).containsExactly("3");
        assertThat(out.getFirst("X-Name")).isEqualTo("caf\u00e9");
    }

    @Test
    void bareLineFeedsAreAccepted() throws Exception {
        ResponseHead head = parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
        assertThat(head.contentLength()).isEqualTo(2);
    }

    @Test
    void aHeadThatFillsTheBufferIsInvalid() {
        ByteBuffer b = ByteBuffer.allocateDirect(1024);
        b.put("HTTP/1.1 200 OK\r\nX-Big: ".getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            b.put((byte) 'a');
        }
        b.flip();
        assertThatThrownBy(() -> ResponseHead.parse(b, out, false, false)).hasMessageContaining("larger than");
    }

    @Test
    void aHeadLongerThanTheFirstKibibyteIsFoundAndAnIncompleteOneLeftAlone() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nX-Pad: " + "p".repeat(3000) + "\r\nContent-Length: 4\r\n\r\n";
        ByteBuffer partial = bytes(head.substring(0, 2500));
        assertThat(ResponseHead.parse(partial, out, false, false)).isNull();
        assertThat(partial.position()).isZero();
        ByteBuffer whole = bytes(head + "body");
        assertThat(ResponseHead.parse(whole, out, false, false).contentLength()).isEqualTo(4);
        assertThat(out.getFirst("X-Pad")).hasSize(3000);
        assertThat(StandardCharsets.ISO_8859_1.decode(whole).toString()).isEqualTo("body");
    }

    @Test
    void aValueRepeatedByTheBackendIsSharedAndAChangedOneIsNot() throws Exception {
        String first = header("Content-Type: text/plain");
        assertThat(header("Content-Type: text/plain")).isSameAs(first);
        assertThat(header("Content-Type: text/plaim")).isEqualTo("text/plaim");
        assertThat(header("Content-Type: text/plain")).isEqualTo("text/plain");
        assertThat(header("Content-Type: text/plain; charset=utf-8")).isEqualTo("text/plain; charset=utf-8");
        assertThat(header("Content-Type: text")).isEqualTo("text");
        assertThat(header("Content-Type: caf\u00e9")).isEqualTo("caf\u00e9");
        assertThat(header("Content-Type: caf\u00e8")).isEqualTo("caf\u00e8");
        String longValue = "v".repeat(300);
        assertThat(header("Content-Type: " + longValue)).isEqualTo(longValue).isNotSameAs(header("Content-Type: " + longValue));
    }

    /** The Content-Type a response with {@code line} comes out with. */
    private String header(String line) throws InvalidResponseException {
        HeaderMap headers = new HeaderMap();
        ResponseHead.parse(bytes("HTTP/1.1 200 OK\r\n" + line + "\r\nContent-Length: 0\r\n\r\n"), headers, false, false);
        return headers.getFirst(Headers.CONTENT_TYPE);
    }
}
