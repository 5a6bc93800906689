package dev.vlltr.registry.api;

import dev.vlltr.registry.auth.Allowed;
import dev.vlltr.registry.auth.Caller;
import dev.vlltr.registry.auth.Role;
import dev.vlltr.registry.dto.Alias;
import dev.vlltr.registry.dto.AliasSet;
import dev.vlltr.registry.dto.GateResult;
import dev.vlltr.registry.dto.Model;
import dev.vlltr.registry.dto.ModelCreate;
import dev.vlltr.registry.dto.ModelPatch;
import dev.vlltr.registry.dto.Page;
import dev.vlltr.registry.dto.Patterns;
import dev.vlltr.registry.dto.Policy;
import dev.vlltr.registry.dto.TagValue;
import dev.vlltr.registry.gate.PromotionService;
import dev.vlltr.registry.mirror.MlflowMirror;
import dev.vlltr.registry.search.FilterException;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.store.Db;
import dev.vlltr.registry.store.Etags;
import dev.vlltr.registry.store.ModelStore;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Registered models, their tags, aliases and promotion policy. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@SecurityRequirement(name = OpenApiCompletion.SECURITY_SCHEME)
public class ModelsResource {
    @Inject
    Db db;

    @Inject
    ModelStore models;

    @Inject
    PromotionService promotions;

    @Inject
    Caller caller;

    @Inject
    MlflowMirror mirror;

    static final String IF_MATCH = "the ETag from the last read of the model (412 when stale, 428 when missing)";

    static Response withEtag(Response.ResponseBuilder b, Model m) {
        return b.entity(m).tag(new jakarta.ws.rs.core.EntityTag(Etags.of(m).replace("\"", ""))).build();
    }

    @POST
    @Path("models")
    @Allowed(Role.WRITER)
    @Operation(summary = "Create a registered model")
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(schema = @Schema(implementation = Model.class)),
            headers = {@Header(name = "ETag", ref = "ETag"), @Header(name = "Location", ref = "Location")})
    @APIResponse(responseCode = "409", description = "a model of that name exists")
    public Response create(@NotNull @Valid ModelCreate body) {
        Model m = db.tx(c -> models.create(c, body, caller.name()));
        return withEtag(Response.created(URI.create("/api/v1/models/" + m.name())), m);
    }

    @GET
    @Path("models")
    @Allowed(Role.READER)
    @Operation(summary = "List or search models (filter, orderBy, cursor pagination)")
    @APIResponse(responseCode = "200", description = "one page of models")
    public Page<Model> search(@QueryParam("filter") @Size(max = 2000) String filter,
                              @QueryParam("orderBy") @Size(max = 200) String orderBy,
                              @QueryParam("pageSize")
                              @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                                      maximum = "1000", defaultValue = "50")) String pageSize,
                              @QueryParam("pageToken") @Size(max = 4096) String pageToken) {
        try {
            int size = QueryNumbers.pageSize(pageSize);
            return db.read(c -> models.search(c, filter, orderBy, size, pageToken));
        } catch (FilterException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("models/{name}")
    @Allowed(Role.READER)
    @Operation(summary = "Get a model (ETag header for later If-Match)")
    @APIResponse(responseCode = "200", description = "the model",
            content = @Content(schema = @Schema(implementation = Model.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response get(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name) {
        return withEtag(Response.ok(), db.read(c -> models.require(c, name)));
    }

    @PATCH
    @Path("models/{name}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Rename a model and/or change its description (If-Match required)")
    @APIResponse(responseCode = "200", description = "the changed model",
            content = @Content(schema = @Schema(implementation = Model.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    @APIResponse(responseCode = "409", description = "the new name is taken")
    public Response patch(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                          @NotNull @Valid ModelPatch body) {
        return withEtag(Response.ok(), db.tx(c -> models.patch(c, name, ifMatch, body)));
    }

    @DELETE
    @Path("models/{name}")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Delete a model that is unused (no aliases, no Staging/Production version)")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "409", description = "in use: an alias or a Staging/Production version")
    public Response delete(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @HeaderParam("If-Match")
                           @Parameter(description = IF_MATCH, required = true) String ifMatch) {
        db.tx(c -> {
            models.delete(c, name, ifMatch);
            return null;
        });
        return Response.noContent().build();
    }

    @PUT
    @Path("models/{name}/tags/{key}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Set a model tag (If-Match required)")
    @APIResponse(responseCode = "200", description = "the changed model",
            content = @Content(schema = @Schema(implementation = Model.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response setTag(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @PathParam("key") @Pattern(regexp = Patterns.TAG_KEY) String key,
                           @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                           @NotNull @Valid TagValue body) {
        return withEtag(Response.ok(), db.tx(c -> models.setTag(c, name, ifMatch, key, body.value())));
    }

    @DELETE
    @Path("models/{name}/tags/{key}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Delete a model tag (If-Match required)")
    @APIResponse(responseCode = "200", description = "the changed model",
            content = @Content(schema = @Schema(implementation = Model.class)),
            headers = @Header(name = "ETag", ref = "ETag"))
    public Response deleteTag(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                              @PathParam("key") @Pattern(regexp = Patterns.TAG_KEY) String key,
                              @HeaderParam("If-Match")
                              @Parameter(description = IF_MATCH, required = true) String ifMatch) {
        return withEtag(Response.ok(), db.tx(c -> models.deleteTag(c, name, ifMatch, key)));
    }

    @GET
    @Path("models/{name}/aliases/{alias}")
    @Allowed(Role.READER)
    @Operation(summary = "Resolve an alias to its version")
    @APIResponse(responseCode = "200", description = "the alias and its version")
    public Alias getAlias(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @PathParam("alias") @Pattern(regexp = Patterns.ALIAS) String alias) {
        return db.read(c -> promotions.getAlias(c, name, alias));
    }

    @PUT
    @Path("models/{name}/aliases/{alias}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Point an alias at a version (model If-Match; guarded aliases pass the promotion gate or 409)")
    @APIResponse(responseCode = "200", description = "the alias as set")
    @APIResponse(responseCode = "409", description = "Promotion Blocked: the policy refuses the version (see reasons)")
    public Alias setAlias(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                          @PathParam("alias") @Pattern(regexp = Patterns.ALIAS) String alias,
                          @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                          @NotNull @Valid AliasSet body) {
        Alias set = db.tx(c -> promotions.setAlias(c, name, alias, ifMatch, body));
        mirror.kick();
        return set;
    }

    @DELETE
    @Path("models/{name}/aliases/{alias}")
    @Allowed(Role.WRITER)
    @Operation(summary = "Remove an alias (model If-Match)")
    @APIResponse(responseCode = "204", description = "removed")
    public Response deleteAlias(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                                @PathParam("alias") @Pattern(regexp = Patterns.ALIAS) String alias,
                                @HeaderParam("If-Match")
                                @Parameter(description = IF_MATCH, required = true) String ifMatch) {
        db.tx(c -> {
            promotions.deleteAlias(c, name, alias, ifMatch);
            return null;
        });
        mirror.kick();
        return Response.noContent().build();
    }

    @GET
    @Path("models/{name}/policy")
    @Allowed(Role.READER)
    @Operation(summary = "Get the promotion policy")
    @APIResponse(responseCode = "200", description = "the policy (guarding production with no rules when none was set)")
    public Policy getPolicy(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name) {
        return db.read(c -> promotions.policy(c, models.require(c, name).id()));
    }

    @PUT
    @Path("models/{name}/policy")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Set the promotion policy (model If-Match)")
    @APIResponse(responseCode = "200", description = "the policy as stored")
    public Policy putPolicy(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                            @HeaderParam("If-Match") @Parameter(description = IF_MATCH, required = true) String ifMatch,
                            @NotNull @Valid Policy body) {
        return db.tx(c -> promotions.putPolicy(c, name, ifMatch, body));
    }

    @GET
    @Path("models/{name}/gate")
    @Allowed(Role.READER)
    @Operation(summary = "Dry-run the promotion gate for moving an alias to a version")
    @APIResponse(responseCode = "200", description = "whether the move would pass, with every failed rule")
    public GateResult gate(@PathParam("name") @Pattern(regexp = Patterns.MODEL_NAME) String name,
                           @QueryParam("alias") @NotNull @Pattern(regexp = Patterns.ALIAS) String alias,
                           @QueryParam("version") @NotNull @Parameter(required = true, schema = @Schema(
                                   type = SchemaType.INTEGER, minimum = "1")) String version) {
        int v = QueryNumbers.parse("version", version, 1, Integer.MAX_VALUE);
        return db.read(c -> promotions.evaluate(c, name, alias, v));
    }
}
