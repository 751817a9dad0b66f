package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations written as {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}, {@code 1h} or {@code 0}:
 * a non-negative decimal number, an optional space and one unit, nothing else.
 */
public final class DurationDeserializer extends JsonDeserializer<Duration> {

    static final String EXPECTED = "expected a duration such as 250ms, 1s, 1.5s, 2m or 1h";

    private static final Pattern FORM = Pattern.compile("([0-9]{1,15}(?:\\.[0-9]{1,9})?) ?(ms|s|m|h)");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE / 2);

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
        String text = p.getValueAsString();
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(text, Duration.class, EXPECTED);
        }
    }

    /** @throws IllegalArgumentException if {@code text} is not one of the accepted forms */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORM.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        long unitNanos = switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException(text);
        }
        return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }
}
