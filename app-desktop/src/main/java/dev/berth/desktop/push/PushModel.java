package dev.berth.desktop.push;

import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.RegistryLogins;
import dev.berth.engine.client.model.JsonMessage;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The push wizard's work, without JavaFX: tag the local image as the target if it is not already,
 * push through the engine with the stored credentials, report each layer's state (including "Layer
 * already exists" and "Mounted from …"), and return the pushed digest. Blocking; the wizard runs it in
 * the background.
 */
public final class PushModel {
    /** Per-layer state as the engine reports it, in first-seen order. */
    public record Progress(Map<String, String> layers, String last) {
    }

    private final EngineClient engine;
    private final RegistryLogins logins;

    public PushModel(EngineClient engine, RegistryLogins logins) {
        this.engine = engine;
        this.logins = logins;
    }

    /** Returns the manifest digest the registry stored. */
    public String push(String localImage, PushTarget target, Consumer<Progress> progress) {
        if (!engine.inspectImage(localImage).repoTags().contains(target.reference())) {
            engine.tagImage(localImage, target.reference());
        }
        Map<String, String> layers = new LinkedHashMap<>();
        String digest = null;
        try (var stream = engine.pushImage(target.reference(), logins.authFor(target.registry()))) {
            while (stream.hasNext()) {
                JsonMessage m = stream.next();
                if (m.isError()) {
                    // In-band: the category is lost, PushErrors reads the text.
                    throw new BerthException(ErrorCategory.INVALID_ARGUMENT, m.errorMessage());
                }
                if (m.aux() != null && m.aux().hasNonNull("Digest")) {
                    digest = m.aux().get("Digest").asText();
                }
                if (m.id() != null && m.status() != null && !m.id().equals(target.tag())) {
                    layers.put(m.id(), m.status());
                }
                progress.accept(new Progress(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers)), m.status()));
            }
        } catch (BerthException | java.io.UncheckedIOException e) {
            PushErrors.Failure f = PushErrors.of(target.registry(), logins.user(target.registry()).isPresent(), e);
            throw new PushFailedException(f, e);
        }
        if (digest == null) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "The push ended without a digest; retry.");
        }
        return digest;
    }
}
