package dev.switchboard.router.table;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a route's normalized request path before forwarding. Never touches the query string:
 * the caller appends the original query to the result. Four forms:
 * <ul>
 *   <li>{@code none}: the path is forwarded as is.</li>
 *   <li>{@code strip}: the route's prefix is removed; what remains keeps its leading slash, and
 *       stripping the whole path yields {@code /} ({@code /api/users} on {@code /api} becomes
 *       {@code /users}, {@code /api} becomes {@code /}).</li>
 *   <li>{@code replace}: the route's prefix is replaced, joined with exactly one slash
 *       ({@code /api/users} on {@code /api} with {@code /v2} becomes {@code /v2/users}).</li>
 *   <li>{@code regex}: a precompiled pattern must match the whole path, and the path is replaced
 *       by the expanded replacement ({@code $1}, {@code ${name}}); a path it does not match is
 *       forwarded unchanged.</li>
 * </ul>
 * The result must again be a valid normalized path. Strip and replace produce one by
 * construction (prefixes and replacements are validated when the table is built). A regex result
 * is checked: one that does not start with {@code /}, contains a {@code .} or {@code ..} segment,
 * an encoded slash, a {@code ?} or anything else {@link RequestPath} rejects is rejected, never
 * forwarded; runs of slashes in it are merged.
 */
public final class PathRewriter {

    /** The rewrite forms. */
    public enum Kind { NONE, STRIP, REPLACE, REGEX }

    static final PathRewriter NONE = new PathRewriter(Kind.NONE, null, null, null, null);

    private final Kind kind;
    private final String prefix;
    private final String replacement;
    private final Pattern pattern;
    private final String regexReplacement;

    private PathRewriter(Kind kind, String prefix, String replacement, Pattern pattern, String regexReplacement) {
        this.kind = kind;
        this.prefix = prefix;
        this.replacement = replacement;
        this.pattern = pattern;
        this.regexReplacement = regexReplacement;
    }

    /** Removes the route prefix {@code prefix}. */
    static PathRewriter strip(String prefix) {
        return new PathRewriter(Kind.STRIP, Objects.requireNonNull(prefix), null, null, null);
    }

    /** Replaces the route prefix {@code prefix} with {@code replacement}, a normalized path. */
    static PathRewriter replace(String prefix, String replacement) {
        return new PathRewriter(Kind.REPLACE, Objects.requireNonNull(prefix), Objects.requireNonNull(replacement),
                null, null);
    }

    /** Replaces a path that {@code pattern} matches entirely with the expanded {@code replacement}. */
    static PathRewriter regex(Pattern pattern, String replacement) {
        return new PathRewriter(Kind.REGEX, null, null, Objects.requireNonNull(pattern), Objects.requireNonNull(replacement));
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Rewrites {@code path}, a normalized path that matched the route (see {@link RequestPath}).
     * Returns the path to forward, or a rejection the caller answers with 400.
     */
    public RequestPath rewrite(String path) {
        switch (kind) {
            case NONE:
                return RequestPath.valid(path);
            case STRIP:
                if (!path.startsWith(prefix)) {
                    return RequestPath.valid(path);
                }
                return RequestPath.valid(joinPath("/", path.substring(prefix.length())));
            case REPLACE:
                if (!path.startsWith(prefix)) {
                    return RequestPath.valid(path);
                }
                return RequestPath.valid(joinPath(replacement, path.substring(prefix.length())));
            default:
                Matcher m = pattern.matcher(path);
                if (!m.matches()) {
                    return RequestPath.valid(path);
                }
                StringBuilder sb = new StringBuilder(path.length() + regexReplacement.length());
                m.appendReplacement(sb, regexReplacement);
                return RequestPath.strict(sb.toString());
        }
    }

    /**
     * {@code base} followed by {@code rest} with exactly one slash between them when {@code rest}
     * is not empty; {@code rest} starts at a segment boundary of a normalized path.
     */
    static String joinPath(String base, String rest) {
        if (rest.isEmpty()) {
            return base;
        }
        boolean baseSlash = base.endsWith("/");
        boolean restSlash = rest.charAt(0) == '/';
        if (baseSlash && restSlash) {
            return base + rest.substring(1);
        }
        return baseSlash || restSlash ? base + rest : base + "/" + rest;
    }

    /** Canonical form: {@code none}, {@code strip}, {@code replace:/v2}, {@code regex:^/a/(.*)$ => /b/$1}. */
    public String describe() {
        switch (kind) {
            case NONE:
                return "none";
            case STRIP:
                return "strip";
            case REPLACE:
                return "replace:" + replacement;
            default:
                return "regex:" + pattern.pattern() + " => " + regexReplacement;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
