package dev.switchboard.router.table;

import java.util.List;

/**
 * Route definitions that cannot form a table. The message lists every problem, one per line, each
 * in the form {@code routes[2].path: "api" (expected: starts with /)}.
 */
public final class RouteTableException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> errors;

    public RouteTableException(List<String> errors) {
        super(errors.size() + " invalid route definition(s):\n  " + String.join("\n  ", errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** Each problem, naming the route and the field. */
    public List<String> errors() {
        return errors;
    }
}
