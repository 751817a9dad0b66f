package dev.switchboard.router.health;

/**
 * The status an active check expects: one status ({@code 200}) or a class ({@code 2xx}).
 *
 * @param low  lowest matching status
 * @param high highest matching status
 * @param text the configured form
 */
public record ExpectedStatus(int low, int high, String text) {

    /** Parses {@code 200} or {@code 2xx} (case-insensitive). */
    public static ExpectedStatus parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.length() == 3 && t.charAt(0) >= '1' && t.charAt(0) <= '5') {
            String tail = t.substring(1);
            if (tail.equalsIgnoreCase("xx")) {
                int c = (t.charAt(0) - '0') * 100;
                return new ExpectedStatus(c, c + 99, t);
            }
            if (Character.isDigit(t.charAt(1)) && Character.isDigit(t.charAt(2))) {
                int s = Integer.parseInt(t);
                return new ExpectedStatus(s, s, t);
            }
        }
        throw new IllegalArgumentException("activeCheck.expectedStatus: \"" + text
                + "\" (expected: a status such as 200 or a class such as 2xx)");
    }

    public boolean matches(int status) {
        return status >= low && status <= high;
    }

    @Override
    public String toString() {
        return text;
    }
}
