package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a byte size: a whole number of bytes, or a string such as {@code 512}, {@code 512B},
 * {@code 16KiB}, {@code 1MiB}, {@code 2GiB} (binary units; a space before the unit is allowed).
 */
public final class ByteSizeDeserializer extends JsonDeserializer<Long> {

    static final String EXPECTED = "expected a size such as 512, 16KiB, 1MiB or 2GiB";

    private static final Pattern FORM = Pattern.compile("([0-9]{1,19}) ?(B|KiB|MiB|GiB)?");

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (!p.currentToken().isScalarValue()) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        String text = p.getValueAsString();
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(text, Long.class, EXPECTED);
        }
    }

    /** @throws IllegalArgumentException if {@code text} is not a size or does not fit in a long */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null");
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(text);
        }
    }
}
