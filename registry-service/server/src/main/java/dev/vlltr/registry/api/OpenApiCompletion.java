package dev.vlltr.registry.api;

import dev.vlltr.registry.error.Problems;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the generated OpenAPI document with what every API operation shares, so the resource classes only
 * declare what is particular to each: the ETag and Location answer headers, the API-key security requirement,
 * and the error responses that the
 * filters and mappers give any operation (400, 401, 403, 414, 431, 503), those of operations with a body (413,
 * 415), with a path parameter (404) and with If-Match (412, 428). Every error response, declared here or on the
 * method, gets the {@code Problem} schema as {@code application/problem+json}.
 */
public class OpenApiCompletion implements OASFilter {
    static final String SECURITY_SCHEME = "SecurityScheme";

    static final Map<String, String> ALWAYS = Map.of(
            "400", "invalid input: the detail names the field, parameter or filter position",
            "401", "no API key, or an unknown or revoked one",
            "403", "the key's role is too weak for this operation",
            "414", "the request line (path and query) is too long",
            "431", "the request headers are too large",
            "503", "the database is unreachable; try again later");
    static final Map<String, String> WITH_BODY = Map.of(
            "413", "the body is larger than the limit",
            "415", "the body is not sent as application/json");
    static final Map<String, String> WITH_IF_MATCH = Map.of(
            "412", "If-Match is stale: someone changed the resource; read it again (currentEtag)",
            "428", "If-Match is missing: send the ETag from the last read");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        // answer headers the resources refer to by name (@Header(ref = "ETag"))
        openAPI.getComponents().addHeader("ETag", textHeader("the resource's strong ETag (model or version); send it"
                + " back as If-Match with the next change"));
        openAPI.getComponents().addHeader("Location", textHeader("the URL of the created resource"));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> p : openAPI.getPaths().getPathItems().entrySet()) {
            if (!p.getKey().startsWith("/api/")) {
                continue;
            }
            for (Operation op : p.getValue().getOperations().values()) {
                complete(op, p.getKey().contains("{"));
            }
        }
    }

    private static void complete(Operation op, boolean hasPathParameter) {
        op.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME)));
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        addMissing(responses, ALWAYS);
        if (op.getRequestBody() != null) {
            addMissing(responses, WITH_BODY);
        }
        if (hasPathParameter) {
            addMissing(responses, Map.of("404", "no such model, version, alias or key"));
        }
        if (hasHeader(op, "If-Match")) {
            addMissing(responses, WITH_IF_MATCH);
        }
        for (Map.Entry<String, APIResponse> r : responses.getAPIResponses().entrySet()) {
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                r.getValue().setContent(OASFactory.createContent().addMediaType(Problems.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
            }
        }
    }

    private static Header textHeader(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    private static void addMissing(APIResponses responses, Map<String, String> statuses) {
        statuses.forEach((status, description) -> {
            if (responses.getAPIResponse(status) == null) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
            }
        });
    }

    private static boolean hasHeader(Operation op, String name) {
        if (op.getParameters() == null) {
            return false;
        }
        for (Parameter p : op.getParameters()) {
            if (p.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase(p.getName())) {
                return true;
            }
        }
        return false;
    }
}
