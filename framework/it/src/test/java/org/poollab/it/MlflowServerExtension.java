package org.poollab.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.poollab.tracking.LocalMlflowServer;

/** A real MLflow server in a temporary folder, started once per test class and stopped after it. */
public final class MlflowServerExtension implements BeforeAllCallback, AfterAllCallback {

    private LocalMlflowServer server;
    private String uri;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path home = Files.createTempDirectory("poollab-mlflow-it");
        server = new LocalMlflowServer(home, Project.mlflow());
        uri = server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }

    /** The server's tracking URI. */
    String uri() {
        return uri;
    }
}
