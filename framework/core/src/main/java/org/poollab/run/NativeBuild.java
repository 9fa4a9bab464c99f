package org.poollab.run;

import java.io.File;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which native build of ND4J is on the class path (e.g. {@code nd4j-native linux-x86_64-onednn-avx512}). */
public final class NativeBuild {

    private static final Pattern JAR = Pattern.compile("(nd4j-(?:native|cuda-[0-9.]+))-[0-9][^-]*(?:-M[0-9.]+)?-"
            + "(linux-[a-z0-9_-]+)\\.jar");

    private NativeBuild() {
    }

    /** @return backend and classifier, or "unknown" when the class path does not show it */
    public static String current() {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Matcher matcher = JAR.matcher(new File(entry).getName());
            if (matcher.matches()) {
                return matcher.group(1) + " " + matcher.group(2);
            }
        }
        return "unknown";
    }
}
