package org.poollab.run;

import java.util.List;

/** Some runs of a sweep failed; the others finished and are in MLflow. */
public final class SweepFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param failures one line per failed run: its sweep values and the error
     * @param runs how many runs the sweep had
     * @param parentUrl the parent run in the MLflow UI
     */
    public SweepFailedException(List<String> failures, int runs, String parentUrl) {
        super(failures.size() + " of " + runs + " sweep runs failed (the others finished; see " + parentUrl
                + "): " + String.join("; ", failures));
    }
}
