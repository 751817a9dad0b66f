package dev.switchboard.router.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.Duration;

/** Reads durations written as {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}, {@code 1h} or {@code 0}. */
public final class DurationDeserializer extends JsonDeserializer<Duration> {

    static final String EXPECTED = "expected a duration such as 250ms, 1s, 1.5s, 2m or 1h";

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String text = p.getValueAsString();
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(text, Duration.class, EXPECTED);
        }
    }

    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        long unitNanos;
        String number;
        if (s.endsWith("ms")) {
            unitNanos = 1_000_000L;
            number = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            unitNanos = 1_000_000_000L;
            number = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unitNanos = 60_000_000_000L;
            number = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            unitNanos = 3_600_000_000_000L;
            number = s.substring(0, s.length() - 1);
        } else {
            throw new IllegalArgumentException(text);
        }
        double value = Double.parseDouble(number.trim());
        if (!(value >= 0) || Double.isInfinite(value) || value * unitNanos > Long.MAX_VALUE / 2.0) {
            throw new IllegalArgumentException(text);
        }
        return Duration.ofNanos(Math.round(value * unitNanos));
    }
}
