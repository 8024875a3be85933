package io.shipgan.generator.rest;

import io.shipgan.generator.checkpoint.RejectionLog;
import io.shipgan.generator.config.GeneratorConfig;
import io.shipgan.generator.sampling.ActiveModel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Shows which checkpoint this replica serves and which it refused. */
@Path("/api/v1/models")
public class ModelResource {

    private final GeneratorConfig config;
    private final ActiveModel activeModel;
    private final RejectionLog rejections;

    public ModelResource(GeneratorConfig config, ActiveModel activeModel, RejectionLog rejections) {
        this.config = config;
        this.activeModel = activeModel;
        this.rejections = rejections;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ModelsView describeModels() {
        ModelsView.Active active = activeModel.current()
                .map(model -> new ModelsView.Active(model.version(), model.device(), model.activatedAt(),
                        model.metadata()))
                .orElse(null);
        return new ModelsView(config.modelName(), active, rejections.recent());
    }
}
