package dev.switchboard.router.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * CIDR blocks whose {@code X-Forwarded-*} headers are believed. Parsed once; matching is a few
 * byte comparisons and never resolves names.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses CIDRs such as {@code 10.0.0.0/8}, {@code 127.0.0.1} or {@code ::1/128}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static TrustedProxies parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(Block.parse(cidr));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Block b : blocks) {
            if (b.matches(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a textual IP literal is trusted; non-literals are not. */
    public boolean containsLiteral(String ip) {
        byte[] bytes = IpLiterals.parse(ip);
        if (bytes == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.matches(bytes)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefix) {

        static Block parse(String cidr) {
            String s = cidr == null ? "" : cidr.trim();
            int slash = s.indexOf('/');
            String ip = slash < 0 ? s : s.substring(0, slash);
            byte[] bytes = IpLiterals.parse(ip);
            if (bytes == null) {
                throw new IllegalArgumentException(cidr + " (expected: an IP address or CIDR such as 10.0.0.0/8)");
            }
            int max = bytes.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException(cidr + " (expected: prefix length 0.." + max + ")");
                }
            }
            return new Block(bytes, prefix);
        }

        boolean matches(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** Strict IP literal parsing that never triggers a DNS lookup. */
    static final class IpLiterals {
        private IpLiterals() {
        }

        static byte[] parse(String ip) {
            if (ip == null || ip.isEmpty()) {
                return null;
            }
            String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
            if (s.indexOf(':') < 0) {
                return parseV4(s);
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
                if (!ok) {
                    return null;
                }
            }
            try {
                // Only hex digits, colons and dots: InetAddress parses it as a literal, no lookup.
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }

        private static byte[] parseV4(String s) {
            byte[] out = new byte[4];
            int part = 0;
            int value = -1;
            for (int i = 0; i <= s.length(); i++) {
                char c = i < s.length() ? s.charAt(i) : '.';
                if (c == '.') {
                    if (value < 0 || part > 3) {
                        return null;
                    }
                    out[part++] = (byte) value;
                    value = -1;
                } else if (c >= '0' && c <= '9') {
                    value = value < 0 ? c - '0' : value * 10 + (c - '0');
                    if (value > 255) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            return part == 4 ? out : null;
        }
    }
}
