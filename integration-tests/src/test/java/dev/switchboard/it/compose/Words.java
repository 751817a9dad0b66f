package dev.switchboard.it.compose;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line into words as a POSIX shell would for the quickstart's commands: quotes, and {@code ;}/{@code |} as words. */
final class Words {

    private Words() {
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if (c == ';' || c == '|') {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                out.add(String.valueOf(c));
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + line);
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
