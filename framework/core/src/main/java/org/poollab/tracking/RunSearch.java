package org.poollab.tracking;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.RunsPage;

/** Every active run of an experiment matching an MLflow search filter, oldest first, across result pages. */
public final class RunSearch {

    private static final int PAGE = 500;

    private RunSearch() {
    }

    /**
     * @param filter an MLflow filter such as {@code params.seed = '0'}, or empty for every run
     * @throws org.mlflow.tracking.MlflowClientException if the server refuses the search
     */
    public static List<Run> all(MlflowClient client, String experimentId, String filter) {
        List<Run> runs = new ArrayList<>();
        RunsPage page = client.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, PAGE,
                List.of("attributes.start_time ASC"));
        while (true) {
            runs.addAll(page.getItems());
            if (!page.hasNextPage()) {
                return runs;
            }
            page = (RunsPage) page.getNextPage();
        }
    }
}
