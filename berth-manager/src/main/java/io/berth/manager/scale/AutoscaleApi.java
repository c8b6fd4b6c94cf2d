package io.berth.manager.scale;

import io.berth.core.app.Autoscale;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;

/**
 * {@code GET/PUT/DELETE /v1/apps/APP/autoscale}: reading needs READ on the app, changing it SCALE
 * (the roles that may scale it by hand), as docs/permissions.md has it.
 */
final class AutoscaleApi {
  private final AutoscaleService service;
  private final Access access;

  AutoscaleApi(AutoscaleService service, Access access) {
    this.service = service;
    this.access = access;
  }

  Routes addTo(Routes r) {
    return r
        .get("/v1/apps/{name}/autoscale", req -> {
          String app = may(req, Action.READ);
          return service.get(app).orElseThrow(() -> new BerthException.NotFound("NotAutoscaled", app + " is not autoscaled"));
        })
        .put("/v1/apps/{name}/autoscale", req -> {
          String app = may(req, Action.SCALE);
          return service.set(app, req.body(Autoscale.class), req.principal().user());
        })
        .delete("/v1/apps/{name}/autoscale", req -> {
          service.off(may(req, Action.SCALE), req.principal().user());
          return null;
        });
  }

  private String may(Request req, Action action) {
    String name = req.param("name");
    access.require(req.principal(), ResourceKind.APP, name, action);
    return name;
  }
}
