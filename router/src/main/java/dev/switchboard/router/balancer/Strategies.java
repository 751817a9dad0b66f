package dev.switchboard.router.balancer;

import dev.switchboard.router.config.ServiceConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one registry of strategy names: the route-table builder creates strategies here and config
 * validation checks names here, so the two cannot disagree. Each entry maps a configuration name to
 * a factory taking the sticky fallback name (ignored by all but {@code sticky}).
 *
 * <p>Strategies hold no randomness of their own: selectors draw from
 * {@link SelectionContext#random()}, which the proxy supplies per request (a seeded generator in
 * tests).
 */
public final class Strategies {

    /** Sticky's fallback when none is configured. */
    public static final String DEFAULT_STICKY_FALLBACK = RoundRobin.NAME;

    /** Strategies that need {@link SelectionContext#hashKey()}. */
    public static final Set<String> HASH_STRATEGIES = Set.of(RingHash.NAME, Maglev.NAME);

    /** Hash key sources ({@code service.hashKey.source}) the proxy understands. */
    public static final List<String> HASH_KEY_SOURCES = List.of("client_ip", "header", "cookie", "path");

    private static final Map<String, Function<String, LoadBalancingStrategy>> FACTORIES;

    static {
        Map<String, Function<String, LoadBalancingStrategy>> m = new LinkedHashMap<>();
        m.put(RoundRobin.NAME, f -> RoundRobin.INSTANCE);
        m.put(SmoothWeightedRoundRobin.NAME, f -> SmoothWeightedRoundRobin.INSTANCE);
        m.put(RandomPick.NAME, f -> RandomPick.INSTANCE);
        m.put(WeightedRandom.NAME, f -> WeightedRandom.INSTANCE);
        m.put(P2CLeastRequests.NAME, f -> P2CLeastRequests.INSTANCE);
        m.put(P2CPeakEwma.NAME, f -> P2CPeakEwma.INSTANCE);
        m.put(RingHash.NAME, f -> RingHash.INSTANCE);
        m.put(Maglev.NAME, f -> Maglev.INSTANCE);
        m.put(Sticky.NAME, f -> new Sticky(fallback(f)));
        FACTORIES = Collections.unmodifiableMap(m);
    }

    private Strategies() {
    }

    /** All strategy names, in documentation order. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    public static boolean isKnown(String name) {
        return name != null && FACTORIES.containsKey(name);
    }

    /** The named strategy; {@code sticky} falls back to {@value #DEFAULT_STICKY_FALLBACK}. */
    public static LoadBalancingStrategy create(String name) {
        return create(name, DEFAULT_STICKY_FALLBACK);
    }

    /**
     * The named strategy.
     *
     * @param stickyFallback for {@code sticky}: the strategy that picks when the cookie does not
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    public static LoadBalancingStrategy create(String name, String stickyFallback) {
        Function<String, LoadBalancingStrategy> factory = name == null ? null : FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("strategy: " + name + " (expected: one of " + String.join(", ", names()) + ")");
        }
        return factory.apply(stickyFallback);
    }

    /** The strategy configured for a service (its {@code strategy} and {@code sticky.fallback}). */
    public static LoadBalancingStrategy forService(ServiceConfig service) {
        return create(service.strategy(), service.sticky().fallback());
    }

    /**
     * Problems with a service's balancing settings, each as {@code "<path>.field: value (expected: …)"};
     * empty when it is valid.
     *
     * @param path where the service sits in the config, e.g. {@code services.api}
     */
    public static List<String> validate(String path, ServiceConfig service) {
        List<String> problems = new ArrayList<>();
        String name = service.strategy();
        if (!isKnown(name)) {
            problems.add(path + ".strategy: " + name + " (expected: one of " + String.join(", ", names()) + ")");
            return problems;
        }
        if (Sticky.NAME.equals(name)) {
            String f = service.sticky().fallback();
            if (!isKnown(f) || Sticky.NAME.equals(f)) {
                problems.add(path + ".sticky.fallback: " + f + " (expected: one of " + String.join(", ", fallbackNames()) + ")");
            }
            String cookie = service.sticky().cookie();
            if (cookie.isBlank() || !cookie.chars().allMatch(Strategies::isCookieNameChar)) {
                problems.add(path + ".sticky.cookie: " + cookie + " (expected: a cookie name: letters, digits, '-', '_', '.')");
            }
        }
        if (HASH_STRATEGIES.contains(name)) {
            ServiceConfig.HashKeyConfig key = service.hashKey();
            if (!HASH_KEY_SOURCES.contains(key.source())) {
                problems.add(path + ".hashKey.source: " + key.source() + " (expected: one of " + String.join(", ", HASH_KEY_SOURCES) + ")");
            } else if ((key.source().equals("header") || key.source().equals("cookie")) && (key.name() == null || key.name().isBlank())) {
                problems.add(path + ".hashKey.name: " + key.name() + " (expected: the " + key.source() + " name when source is " + key.source() + ")");
            }
        }
        return problems;
    }

    private static LoadBalancingStrategy fallback(String name) {
        String f = name == null ? DEFAULT_STICKY_FALLBACK : name;
        if (!isKnown(f) || Sticky.NAME.equals(f)) {
            throw new IllegalArgumentException("sticky.fallback: " + name + " (expected: one of " + String.join(", ", fallbackNames()) + ")");
        }
        return create(f);
    }

    private static List<String> fallbackNames() {
        List<String> names = new ArrayList<>(FACTORIES.keySet());
        names.remove(Sticky.NAME);
        return names;
    }

    private static boolean isCookieNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }
}
