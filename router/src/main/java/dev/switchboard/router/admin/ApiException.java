package dev.switchboard.router.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/** An API call that ends with an error status and a JSON body {@code {"error": …, "field": …}}. */
final class ApiException extends Exception {

    private final int status;
    private final String field;

    ApiException(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiException badField(String field, Object value, String expected) {
        return new ApiException(400, field, field + ": " + Json.quoteShort(value) + " (expected: " + expected + ")");
    }

    /** The 413 for a body over {@code limit} bytes; {@code size} says how big it was, as far as known. */
    static ApiException tooLarge(String size, int limit) {
        return new ApiException(413, "body", "body: " + size + " (expected: at most " + limit + " bytes)");
    }

    /** {@code {"error": …, "field": …}}; the field is safe to echo even when it is a client's unknown field name. */
    Map<String, Object> body() {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("error", getMessage());
        if (field != null) {
            err.put("field", Json.safeShort(field));
        }
        return err;
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
