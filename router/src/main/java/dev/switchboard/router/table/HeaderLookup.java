package dev.switchboard.router.table;

/**
 * Read access to request headers for matching, so the table does not depend on Undertow. The
 * proxy adapts its header map, e.g. {@code name -> exchange.getRequestHeaders().getFirst(name)}.
 */
@FunctionalInterface
public interface HeaderLookup {

    /** No headers at all. */
    HeaderLookup NONE = name -> null;

    /** The first value of the header, looked up case-insensitively by name; null if absent. */
    String first(String name);
}
