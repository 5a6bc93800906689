package dev.vlltr.registry.api;

import dev.vlltr.registry.auth.Allowed;
import dev.vlltr.registry.auth.ApiKeyStore;
import dev.vlltr.registry.auth.Caller;
import dev.vlltr.registry.auth.KeyHash;
import dev.vlltr.registry.auth.Role;
import dev.vlltr.registry.dto.ApiKeyCreate;
import dev.vlltr.registry.dto.ApiKeyInfo;
import dev.vlltr.registry.dto.AuditEntry;
import dev.vlltr.registry.dto.Identity;
import dev.vlltr.registry.dto.Page;
import dev.vlltr.registry.dto.Patterns;
import dev.vlltr.registry.error.ProblemException;
import dev.vlltr.registry.store.AuditLog;
import dev.vlltr.registry.store.Db;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.DateTimeException;
import dev.vlltr.registry.search.Timestamps;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API keys, the audit log and the caller's identity. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = OpenApiCompletion.SECURITY_SCHEME)
public class AdminResource {
    @Inject
    Db db;

    @Inject
    ApiKeyStore keys;

    @Inject
    AuditLog audit;

    @Inject
    Caller caller;

    @POST
    @Path("api-keys")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Create an API key; the secret is in this answer only")
    @APIResponse(responseCode = "201", description = "created; key holds the secret, shown only here",
            content = @Content(schema = @Schema(implementation = ApiKeyInfo.class)),
            headers = @Header(name = "Location", ref = "Location"))
    @APIResponse(responseCode = "409", description = "a key of that name exists")
    public Response createKey(@NotNull @Valid ApiKeyCreate body) {
        String secret = KeyHash.newKey();
        boolean inserted = keys.ensure(body.name(), Role.parse(body.role()), secret, caller.name());
        if (!inserted) {
            throw ProblemException.conflict("an API key named '" + body.name() + "' already exists");
        }
        db.tx(c -> {
            audit.record(c, "apikey.create", "apikey", body.name(), null, Map.of("role", body.role()));
            return null;
        });
        ApiKeyInfo info = new ApiKeyInfo(body.name(), body.role(), OffsetDateTime.now(), caller.name(), null, secret);
        return Response.created(URI.create("/api/v1/api-keys/" + body.name())).entity(info).build();
    }

    @GET
    @Path("api-keys")
    @Allowed(Role.ADMIN)
    @Operation(summary = "List API keys (names and roles; never the secrets)")
    @APIResponse(responseCode = "200", description = "every key, revoked ones with revokedAt")
    public List<ApiKeyInfo> listKeys() {
        return keys.list();
    }

    @DELETE
    @Path("api-keys/{name}")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Revoke an API key")
    @APIResponse(responseCode = "204", description = "revoked")
    public Response revoke(@PathParam("name") @Pattern(regexp = Patterns.KEY_NAME) String name) {
        keys.revoke(name);
        db.tx(c -> {
            audit.record(c, "apikey.revoke", "apikey", name, null, null);
            return null;
        });
        return Response.noContent().build();
    }

    @GET
    @Path("audit")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Query the audit log, newest first")
    @APIResponse(responseCode = "200", description = "one page of audit entries")
    public Page<AuditEntry> audit(@QueryParam("entityType") @Size(max = 32) String entityType,
                                  @QueryParam("entityKey") @Size(max = 300) String entityKey,
                                  @QueryParam("actor") @Size(max = 64) String actor,
                                  @QueryParam("action") @Size(max = 64) String action,
                                  @QueryParam("since") @Size(max = 64) String since,
                                  @QueryParam("pageSize") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                                          minimum = "1", maximum = "1000", defaultValue = "50")) String pageSize,
                                  @QueryParam("pageToken") @Size(max = 32) String pageToken) {
        OffsetDateTime t = null;
        if (since != null) {
            try {
                t = Timestamps.parse(since);
            } catch (DateTimeException e) {
                throw ProblemException.badRequest("since: expected " + Timestamps.EXPECTED);
            }
        }
        OffsetDateTime s = t;
        int size = QueryNumbers.pageSize(pageSize);
        return db.read(c -> audit.query(c, entityType, entityKey, actor, action, s, size, pageToken));
    }

    @GET
    @Path("whoami")
    @Allowed(Role.READER)
    @Operation(summary = "The calling key's name and role")
    @APIResponse(responseCode = "200", description = "the key's name and role")
    public Identity whoami() {
        return new Identity(caller.name(), caller.role().wire());
    }
}
