package org.poollab.run;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of another JVM like this one: the same java, JVM options (heap, native caps) and class path. */
final class JvmCommand {

    private JvmCommand() {
    }

    /**
     * @param mainClass the class to run
     * @param args its arguments
     * @return the command, ready for a {@link ProcessBuilder}
     */
    static List<String> of(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:jdwp")) { // a debugger's port can be bound only once
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
