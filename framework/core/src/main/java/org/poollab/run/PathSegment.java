package org.poollab.run;

import java.nio.charset.StandardCharsets;

/**
 * A name from an experiment file or the command line (an MLflow experiment name such as {@code team/exp}) as one
 * folder name that cannot leave its parent: characters other than letters, digits, {@code _ - .} are
 * percent-encoded, and so is a leading dot, so that no name becomes {@code ..}, an absolute path or a hidden
 * folder. The encoding is one-to-one, so two names never share a folder.
 */
public final class PathSegment {

    private PathSegment() {
    }

    /** @return a non-empty file name without separators, {@code .} or {@code ..} */
    public static String of(String name) {
        StringBuilder out = new StringBuilder();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_'
                    || b == '-' || (b == '.' && i > 0);
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b));
            }
        }
        return out.length() == 0 ? "%00" : out.toString();
    }
}
