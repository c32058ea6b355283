package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a pull, push, load or build stream (moby {@code jsonstream.Message}). A line with
 * {@code progressDetail} present (even empty) is a progress update for the layer {@link #id()}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JsonMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("status") String status,
        @JsonProperty("progress") String progress,
        @JsonProperty("progressDetail") ProgressDetail progressDetail,
        @JsonProperty("id") String id,
        @JsonProperty("error") String error,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("aux") JsonNode aux) {

    public static JsonMessage status(String id, String status) {
        return new JsonMessage(null, status, null, null, id, null, null, null);
    }

    public static JsonMessage ofStream(String text) {
        return new JsonMessage(text, null, null, null, null, null, null, null);
    }

    /** True when this line reports a failure. */
    public boolean isError() {
        return errorDetail != null || (error != null && !error.isEmpty());
    }

    /** The failure's message: {@code errorDetail.message}, else the legacy {@code error}. */
    public String errorMessage() {
        if (errorDetail != null && errorDetail.message() != null && !errorDetail.message().isEmpty()) {
            return errorDetail.message();
        }
        return error;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record ProgressDetail(
            @JsonProperty("current") long current,
            @JsonProperty("total") long total,
            @JsonProperty("start") long start,
            @JsonProperty("hidecounts") boolean hideCounts,
            @JsonProperty("units") String units) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record ErrorDetail(@JsonProperty("code") int code, @JsonProperty("message") String message) {
    }
}
