package org.poollab.tracking;

/** The little JSON the tracking journal needs: quoting strings, numbers, and reading its own lines back. */
public final class Json {

    private Json() {
    }

    /** A JSON string literal. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A JSON number; MLflow takes non-finite doubles as the strings "NaN", "Infinity", "-Infinity". */
    static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : string(Double.toString(value));
    }

    /** Reads a line left to right. */
    static final class Reader {

        private final String text;
        private int position;

        Reader(String text) {
            this.text = text;
        }

        void expect(String literal) {
            if (!skip(literal)) {
                throw new IllegalArgumentException("expected " + literal + " at " + position + " in " + text);
            }
        }

        boolean skip(String literal) {
            if (text.startsWith(literal, position)) {
                position += literal.length();
                return true;
            }
            return false;
        }

        long number() {
            int start = position;
            while (position < text.length() && (Character.isDigit(text.charAt(position))
                    || text.charAt(position) == '-')) {
                position++;
            }
            return Long.parseLong(text.substring(start, position));
        }

        String string() {
            expect("\"");
            StringBuilder out = new StringBuilder();
            while (text.charAt(position) != '"') {
                char c = text.charAt(position++);
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                    }
                    default -> out.append(escaped);
                }
            }
            position++;
            return out.toString();
        }

        /** Everything from here to the line's last closing brace (exclusive): an embedded JSON value. */
        String restBeforeLastBrace() {
            int end = text.lastIndexOf('}');
            String rest = text.substring(position, end);
            position = end;
            return rest;
        }
    }
}
