package org.poollab.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.poollab.config.ExperimentConfig;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.Registered;

/** The MLflow tags every run gets: what produced it and where, so that a result can be traced and repeated. */
final class RunTags {

    private RunTags() {
    }

    /**
     * @return {@code trainer}, {@code plugin.pooling} / {@code plugin.backbone} ({@code <plugin id>@<version>}),
     *         {@code git.commit}, {@code host}, {@code nd4j.natives} and {@code omp.threads}
     */
    static Map<String, String> of(ComponentRegistry registry, ExperimentConfig config) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("trainer", config.trainer().id());
        for (Registered<?> component : registry.all()) {
            if (component.component().id().equals(config.pooling().id()) && component.kind().equals("pooling")
                    || component.component().id().equals(config.backbone().id())
                    && component.kind().equals("backbone")) {
                tags.put("plugin." + component.kind(), component.pluginId() + "@" + component.pluginVersion());
            }
        }
        tags.put("git.commit", GitCommit.current());
        try {
            tags.put("host", InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            tags.put("host", "unknown");
        }
        tags.put("nd4j.natives", NativeBuild.current());
        String threads = System.getenv("OMP_NUM_THREADS"); // results depend on it in the last bits
        tags.put("omp.threads", threads == null || threads.isBlank() ? "default" : threads);
        return tags;
    }
}
