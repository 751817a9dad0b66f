package dev.switchboard.router.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/** {@link ByteSource} and {@link ByteSink} views of XNIO channels (the client side of an exchange). */
public final class Channels {

    private Channels() {
    }

    public static ByteSource source(StreamSourceChannel channel) {
        return new ByteSource() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return channel.read(dst);
            }

            @Override
            public void setReadListener(Runnable listener) {
                channel.getReadSetter().set(listener == null ? null : ch -> listener.run());
            }

            @Override
            public void resumeReads() {
                channel.resumeReads();
            }

            @Override
            public void suspendReads() {
                channel.suspendReads();
            }
        };
    }

    public static ByteSink sink(StreamSinkChannel channel) {
        return new ByteSink() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                return channel.write(src);
            }

            @Override
            public boolean finish() throws IOException {
                channel.shutdownWrites();
                return channel.flush();
            }

            @Override
            public void setWriteListener(Runnable listener) {
                channel.getWriteSetter().set(listener == null ? null : ch -> listener.run());
            }

            @Override
            public void resumeWrites() {
                channel.resumeWrites();
            }

            @Override
            public void suspendWrites() {
                channel.suspendWrites();
            }
        };
    }
}
