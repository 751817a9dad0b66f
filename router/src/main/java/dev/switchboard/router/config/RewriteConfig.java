package dev.switchboard.router.config;

/**
 * Path rewrite applied before forwarding; at most one of the three forms. The query string is kept.
 *
 * @param stripPrefix   remove the route's path prefix ({@code /api/users} on route {@code /api} becomes {@code /users})
 * @param replacePrefix replace the route's path prefix with this one
 * @param regex         a Java regular expression matched against the whole path
 * @param replacement   the replacement for {@code regex}, {@code $1}-style group references allowed
 */
public record RewriteConfig(Boolean stripPrefix, String replacePrefix, String regex, String replacement) {
    public RewriteConfig {
        stripPrefix = stripPrefix != null ? stripPrefix : false;
    }
}
