package dev.switchboard.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.router.testing.RawHttp;
import dev.switchboard.router.testing.RouterFixture;
import dev.switchboard.router.testing.TestBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A selector from this provider lists ready keys in the order they became ready, with the JDK's set semantics. */
class ReadyOrderSelectorProviderTest {

    private final Selector selector;
    private final List<Pipe> pipes = new ArrayList<>();

    ReadyOrderSelectorProviderTest() throws IOException {
        selector = new ReadyOrderSelectorProvider().openSelector();
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        for (Pipe p : pipes) {
            p.sink().close();
            p.source().close();
        }
    }

    private SelectionKey register() throws IOException {
        Pipe p = Pipe.open();
        pipes.add(p);
        p.source().configureBlocking(false);
        return p.source().register(selector, SelectionKey.OP_READ, pipes.size() - 1);
    }

    private void makeReady(int pipe) throws IOException {
        pipes.get(pipe).sink().write(ByteBuffer.wrap(new byte[] {1}));
    }

    @Test
    void readyKeysComeInTheOrderTheyBecameReady() throws IOException {
        int n = 32;
        for (int i = 0; i < n; i++) {
            register();
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(20261122));
        selector.selectNow(); // registers the pipes with epoll, so readiness is reported as it happens
        for (int pipe : order) {
            makeReady(pipe);
        }

        assertThat(selector.selectNow()).isEqualTo(n);

        List<Object> served = new ArrayList<>();
        for (SelectionKey k : selector.selectedKeys()) {
            served.add(k.attachment());
        }
        assertThat(served).containsExactlyElementsOf(order);
        // XNIO's IO thread copies the set with toArray(T[]) and walks the array
        SelectionKey[] copy = selector.selectedKeys().toArray(new SelectionKey[4]);
        assertThat(copy).extracting(SelectionKey::attachment).containsExactlyElementsOf(order);
    }

    @Test
    void aKeyReadyAgainBeforeTheSetIsClearedIsListedOnce() throws IOException {
        SelectionKey key = register();
        makeReady(0);
        assertThat(selector.selectNow()).isEqualTo(1);
        makeReady(0);
        selector.selectNow();
        assertThat(selector.selectedKeys()).containsExactly(key);

        key.cancel();
        selector.selectNow();
        assertThat(selector.selectedKeys()).isEmpty();
    }

    @Test
    void selectedKeysMayBeRemovedButNotAdded() throws IOException {
        SelectionKey key = register();
        makeReady(0);
        selector.selectNow();

        assertThatThrownBy(() -> selector.selectedKeys().add(key)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(selector.selectedKeys().remove(key)).isTrue();
        assertThat(selector.selectedKeys()).isEmpty();
        // removed, still ready: the next select lists it again
        assertThat(selector.selectNow()).isEqualTo(1);
        assertThat(selector.selectedKeys()).containsExactly(key);
    }

    @Test
    void theProxyListenerAsksXnioForItAndServesThroughIt() throws Exception {
        try (TestBackend backend = TestBackend.start("b");
                RouterFixture router = RouterFixture.routingAllTo(backend)) {
            assertThat(System.getProperty(ReadyOrderSelectorProvider.XNIO_PROPERTY)).as("JDK < 24")
                    .isEqualTo(Runtime.version().feature() < 24 ? ReadyOrderSelectorProvider.class.getName() : null);
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int c = 0; c < 8; c++) {
                    clients.add(new RawHttp(router.port()));
                }
                for (int round = 0; round < 20; round++) {
                    for (RawHttp http : clients) {
                        http.send("GET /r" + round + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    }
                    for (RawHttp http : clients) {
                        assertThat(http.read().status()).isEqualTo(200);
                    }
                }
            } finally {
                for (RawHttp http : clients) {
                    http.close();
                }
            }
        }
    }
}
