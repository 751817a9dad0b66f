package dev.switchboard.router.admin;

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

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
