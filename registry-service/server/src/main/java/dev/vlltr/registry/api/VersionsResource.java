package dev.vlltr.registry.api;

import dev.vlltr.registry.auth.Allowed;
import dev.vlltr.registry.auth.Caller;
import dev.vlltr.registry.auth.Role;
import dev.vlltr.registry.dto.Page;
import dev.vlltr.registry.dto.Patterns;
import dev.vlltr.registry.dto.StageChange;
import dev.vlltr.registry.dto.TagValue;
import dev.vlltr.registry.dto.Version;
import dev.vlltr.registry.dto.VersionCreate;
import dev.vlltr.registry.dto.VersionPatch;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.gate.PromotionService;
import dev.vlltr.registry.mirror.MlflowMirror;
import dev.vlltr.registry.search.FilterException;
import dev.vlltr.registry.store.Db;
import dev.vlltr.registry.store.Etags;
import dev.vlltr.registry.store.VersionStore;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Model versions: register with lineage and metrics, read, search, update, stage, tags. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "versions")
public class VersionsResource {
    @Inject
    Db db;

    @Inject
    VersionStore versions;

    @Inject
    PromotionService promotions;

    @Inject
    MlflowMirror mirror;

    @Inject
    Caller caller;

    static Response withEtag(Response.ResponseBuilder b, Version v) {
        return b.entity(v).tag(new EntityTag(Etags.of(v).replace("\"", ""))).build();
    }

    @POST
    @Path("models/{name}/versions")
    @Allowed(Role.WRITER)
    @Operation(summary = "Register a new version (Idempotency-Key makes retries safe)")
    public Response create(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @HeaderParam("Idempotency-Key") @Size(min = 1, max = 128) String idempotencyKey,
                           @NotNull @Valid VersionCreate body) {
        Version v = db.tx(c -> versions.create(c, name, body, idempotencyKey, caller.name(), mirror.enabled()));
        mirror.kick();
        return withEtag(Response.created(URI.create("/api/v1/models/" + name + "/versions/" + v.version())), v);
    }

    @GET
    @Path("models/{name}/versions")
    @Allowed(Role.READER)
    @Operation(summary = "List or search the versions of one model")
    public Page<Version> list(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                              @QueryParam("filter") @Size(max = 2000) String filter,
                              @QueryParam("orderBy") @Size(max = 200) String orderBy,
                              @QueryParam("pageSize") @DefaultValue("50") @Min(1) @Max(1000) int pageSize,
                              @QueryParam("pageToken") @Size(max = 4096) String pageToken) {
        return search(name, filter, orderBy, pageSize, pageToken);
    }

    @GET
    @Path("versions")
    @Allowed(Role.READER)
    @Operation(summary = "Search versions of all models (e.g. filter=metrics.few_acc > 0.4)")
    public Page<Version> searchAll(@QueryParam("filter") @Size(max = 2000) String filter,
                                   @QueryParam("orderBy") @Size(max = 200) String orderBy,
                                   @QueryParam("pageSize") @DefaultValue("50") @Min(1) @Max(1000) int pageSize,
                                   @QueryParam("pageToken") @Size(max = 4096) String pageToken) {
        return search(null, filter, orderBy, pageSize, pageToken);
    }

    private Page<Version> search(String model, String filter, String orderBy, int pageSize, String pageToken) {
        try {
            return db.read(c -> versions.search(c, model, filter, orderBy, pageSize, pageToken));
        } catch (FilterException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("models/{name}/versions/{version}")
    @Allowed(Role.READER)
    @Operation(summary = "Get a version (ETag header for later If-Match)")
    public Response get(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                        @PathParam("version") @Positive int version) {
        return withEtag(Response.ok(), db.read(c -> versions.require(c, name, version)));
    }

    @PATCH
    @Path("models/{name}/versions/{version}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Update a version's description (If-Match required)")
    public Response patch(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @PathParam("version") @Positive int version,
                          @HeaderParam("If-Match") String ifMatch, @NotNull @Valid VersionPatch body) {
        return withEtag(Response.ok(),
                db.tx(c -> versions.setDescription(c, name, version, ifMatch, body.description())));
    }

    @POST
    @Path("models/{name}/versions/{version}/stage")
    @Allowed(Role.WRITER)
    @Operation(summary = "Transition a version's stage (If-Match; Production passes the promotion gate or 409)")
    public Response stage(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @PathParam("version") @Positive int version,
                          @HeaderParam("If-Match") String ifMatch, @NotNull @Valid StageChange body) {
        return withEtag(Response.ok(), db.tx(c -> promotions.transition(c, name, version, ifMatch, body)));
    }

    @PUT
    @Path("models/{name}/versions/{version}/tags/{key}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Set a version tag (If-Match required)")
    public Response setTag(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @PathParam("version") @Positive int version,
                           @PathParam("key") @Pattern(regexp = Patterns.TAG_KEY) String key,
                           @HeaderParam("If-Match") String ifMatch, @NotNull @Valid TagValue body) {
        return withEtag(Response.ok(), db.tx(c -> versions.setTag(c, name, version, ifMatch, key, body.value())));
    }

    @DELETE
    @Path("models/{name}/versions/{version}/tags/{key}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Delete a version tag (If-Match required)")
    public Response deleteTag(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                              @PathParam("version") @Positive int version,
                              @PathParam("key") @Pattern(regexp = Patterns.TAG_KEY) String key,
                              @HeaderParam("If-Match") String ifMatch) {
        return withEtag(Response.ok(), db.tx(c -> versions.deleteTag(c, name, version, ifMatch, key)));
    }
}
