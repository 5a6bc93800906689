package dev.vlltr.orchestration;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vlltr.runtime.cli.ParamSpec;

/** A stage parameter's type in pipeline.yaml; one-to-one with {@link ParamSpec.Type} of the stage runtime. */
public enum ParamType {
    @JsonProperty("string") STRING(ParamSpec.Type.STRING),
    @JsonProperty("int") INT(ParamSpec.Type.INT),
    @JsonProperty("double") DOUBLE(ParamSpec.Type.DOUBLE),
    @JsonProperty("bool") BOOL(ParamSpec.Type.BOOL),
    @JsonProperty("enum") ENUM(ParamSpec.Type.ENUM),
    @JsonProperty("string_list") STRING_LIST(ParamSpec.Type.STRING_LIST),
    @JsonProperty("double_list") DOUBLE_LIST(ParamSpec.Type.DOUBLE_LIST);

    private final ParamSpec.Type runtimeType;

    ParamType(ParamSpec.Type runtimeType) {
        this.runtimeType = runtimeType;
    }

    /** The stage runtime's type for the same values. */
    public ParamSpec.Type runtimeType() {
        return runtimeType;
    }

    public static ParamType of(ParamSpec.Type type) {
        for (ParamType t : values()) {
            if (t.runtimeType == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("no pipeline.yaml type for " + type);
    }
}
