package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/** Reads a byte size: a whole number of bytes, or a string such as {@code 512}, {@code 16KiB}, {@code 1MiB}, {@code 2GiB}. */
public final class ByteSizeDeserializer extends JsonDeserializer<Long> {

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        String text = p.getValueAsString();
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(text, Long.class, "expected a size such as 512, 16KiB, 1MiB or 2GiB");
        }
    }

    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null");
        }
        String s = text.trim();
        long unit = 1;
        String[][] units = {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}, {"B", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        long n = Long.parseLong(s);
        if (n < 0) {
            throw new IllegalArgumentException("negative");
        }
        return Math.multiplyExact(n, unit);
    }
}
