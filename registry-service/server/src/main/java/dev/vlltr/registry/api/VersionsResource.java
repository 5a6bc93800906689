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
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import dev.vlltr.registry.error.Problem;
import dev.vlltr.registry.error.Problems;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Model versions: register with lineage and metrics, read, search, update, stage, tags. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "versions")
@SecurityRequirement(name = OpenApiCompletion.SECURITY_SCHEME)
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

    static final String IF_MATCH = "the ETag from the last read of the version (412 when stale, 428 when missing)";

    static Response withEtag(Response.ResponseBuilder b, Version v) {
        return b.entity(v).tag(new EntityTag(Etags.of(v).replace("\"", ""))).build();
    }

    @POST
    @Path("models/{name}/versions")
    @Allowed(Role.WRITER)
    @Operation(summary = "Register a new version (Idempotency-Key makes retries safe)")
    @APIResponse(responseCode = "201", description = "created (or, for a repeated Idempotency-Key with the same"
            + " body, the version created the first time)",
            content = @Content(schema = @Schema(implementation = Version.class)),
            headers = {@Header(name = "ETag", ref = "ETag"), @Header(name = "Location", ref = "Location")})
    @APIResponse(responseCode = "422", description = "the Idempotency-Key was used before with a different body",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @HeaderParam("Idempotency-Key") @Size(min = 1, max = 128)
                           @Parameter(description = "makes a retried registration return the version created the"
                                   + " first time; reused with another body: 422") String idempotencyKey,
                           @NotNull @Valid VersionCreate body) {
        Version v = db.tx(c -> versions.create(c, name, body, idempotencyKey, caller.name(), mirror.enabled()));
        mirror.kick();
        return withEtag(Response.created(URI.create("/api/v1/models/" + name + "/versions/" + v.version())), v);
    }

    @GET
    @Path("models/{name}/versions")
    @Allowed(Role.READER)
    @Operation(summary = "List or search the versions of one model")
    @APIResponse(responseCode = "200", description = "one page of versions")
    public Page<Version> list(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                              @QueryParam("filter") @Size(max = 2000) String filter,
                              @QueryParam("orderBy") @Size(max = 200) String orderBy,
                              @QueryParam("pageSize")
                              @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                                      maximum = "1000", defaultValue = "50")) String pageSize,
                              @QueryParam("pageToken") @Size(max = 4096) String pageToken) {
        return search(name, filter, orderBy, pageSize, pageToken);
    }

    @GET
    @Path("versions")
    @Allowed(Role.READER)
    @Operation(summary = "Search versions of all models (e.g. filter=metrics.few_acc > 0.4)")
    @APIResponse(responseCode = "200", description = "one page of versions")
    public Page<Version> searchAll(@QueryParam("filter") @Size(max = 2000) String filter,
                                   @QueryParam("orderBy") @Size(max = 200) String orderBy,
                                   @QueryParam("pageSize")
                                   @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                                      maximum = "1000", defaultValue = "50")) String pageSize,
                                   @QueryParam("pageToken") @Size(max = 4096) String pageToken) {
        return search(null, filter, orderBy, pageSize, pageToken);
    }

    private Page<Version> search(String model, String filter, String orderBy, String pageSize, String pageToken) {
        int size = QueryNumbers.pageSize(pageSize);
        try {
            return db.read(c -> versions.search(c, model, filter, orderBy, size, pageToken));
        } catch (FilterException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("models/{name}/versions/{version}")
    @Allowed(Role.READER)
    @Operation(summary = "Get a version (ETag header for later If-Match)")
    @APIResponse(responseCode = "200", description = "the version",
            content = @Content(schema = @Schema(implementation = Version.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response get(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                        @PathParam("version") @Positive int version) {
        return withEtag(Response.ok(), db.read(c -> versions.require(c, name, version)));
    }

    @PATCH
    @Path("models/{name}/versions/{version}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Update a version's description (If-Match required)")
    @APIResponse(responseCode = "200", description = "the changed version",
            content = @Content(schema = @Schema(implementation = Version.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response patch(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @PathParam("version") @Positive int version,
                          @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                          @NotNull @Valid VersionPatch body) {
        return withEtag(Response.ok(),
                db.tx(c -> versions.setDescription(c, name, version, ifMatch, body.description())));
    }

    @POST
    @Path("models/{name}/versions/{version}/stage")
    @Allowed(Role.WRITER)
    @Operation(summary = "Transition a version's stage (If-Match; Production passes the promotion gate or 409)")
    @APIResponse(responseCode = "200", description = "the changed version",
            content = @Content(schema = @Schema(implementation = Version.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    @APIResponse(responseCode = "409", description = "Promotion Blocked: the policy refuses the version (see reasons)")
    public Response stage(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @PathParam("version") @Positive int version,
                          @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                          @NotNull @Valid StageChange body) {
        return withEtag(Response.ok(), db.tx(c -> promotions.transition(c, name, version, ifMatch, body)));
    }

    @PUT
    @Path("models/{name}/versions/{version}/tags/{key}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Set a version tag (If-Match required)")
    @APIResponse(responseCode = "200", description = "the changed version",
            content = @Content(schema = @Schema(implementation = Version.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response setTag(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @PathParam("version") @Positive int version,
                           @PathParam("key") @Pattern(regexp = Patterns.TAG_KEY) String key,
                           @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                           @NotNull @Valid TagValue body) {
        return withEtag(Response.ok(), db.tx(c -> versions.setTag(c, name, version, ifMatch, key, body.value())));
    }

    @DELETE
    @Path("models/{name}/versions/{version}/tags/{key}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Delete a version tag (If-Match required)")
    @APIResponse(responseCode = "200", description = "the changed version",
            content = @Content(schema = @Schema(implementation = Version.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response deleteTag(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                              @PathParam("version") @Positive int version,
                              @PathParam("key") @Pattern(regexp = Patterns.TAG_KEY) String key,
                              @HeaderParam("If-Match")
                              @Parameter(description = IF_MATCH, required = true) String ifMatch) {
        return withEtag(Response.ok(), db.tx(c -> versions.deleteTag(c, name, version, ifMatch, key)));
    }
}
