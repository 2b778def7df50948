package dev.kubeboot.cli.day2;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/** fabric8's in-memory API server in CRUD mode: it keeps what it is sent, over plain HTTP. */
final class CrudApiServer {
  private CrudApiServer() {}

  /** A started server; the caller destroys it. */
  static KubernetesMockServer start() {
    var server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    return server;
  }
}
