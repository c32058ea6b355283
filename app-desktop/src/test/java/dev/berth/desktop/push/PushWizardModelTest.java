package dev.berth.desktop.push;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wizard's steps on the synchronous executor, over a scripted backend (a fake of this one class's port). */
class PushWizardModelTest {
    static final class Scripted implements PushWizardModel.Backend {
        final Map<String, String> users = new LinkedHashMap<>();
        final List<String> pushedTargets = new ArrayList<>();
        final List<RuntimeException> failures = new ArrayList<>();

        @Override
        public List<String> localImages() {
            return List.of("busybox:latest", "localhost:5000/team/app:2");
        }

        @Override
        public List<String> registries() {
            return List.of("docker.io", "localhost:5000");
        }

        @Override
        public Optional<String> user(String registry) {
            return Optional.ofNullable(users.get(registry));
        }

        @Override
        public String signIn(String registry, String user, String password) {
            if (!password.equals("good")) {
                throw new BerthException(ErrorCategory.UNAUTHORIZED, "The user name or password was not accepted by " + registry + ".");
            }
            users.put(registry, user);
            return "Login Succeeded";
        }

        @Override
        public String push(String image, PushTarget target, Consumer<PushModel.Progress> progress) {
            pushedTargets.add(target.reference());
            if (!failures.isEmpty()) {
                RuntimeException e = failures.removeFirst();
                progress.accept(new PushModel.Progress(Map.of("aaa", "Pushing"), "Pushing"));
                throw e;
            }
            Map<String, String> l = new LinkedHashMap<>();
            l.put("aaa", "Preparing");
            progress.accept(new PushModel.Progress(new LinkedHashMap<>(l), null));
            l.put("aaa", "Layer already exists");
            l.put("bbb", "Mounted from library/busybox");
            l.put("ccc", "Pushing");
            progress.accept(new PushModel.Progress(new LinkedHashMap<>(l), null));
            return "sha256:" + "d".repeat(64);
        }
    }

    @Test
    void hubTargetIsValidatedInlineThenSignInThenPushShowsLayersDigestAndPullCommand() {
        Scripted backend = new Scripted();
        PushWizardModel m = new PushWizardModel(backend, UiExecutor.synchronous());
        m.load("busybox:latest");
        assertEquals(PushWizardModel.Step.IMAGE, m.stepProperty().get());
        assertEquals("docker.io", m.registryProperty().get());
        assertEquals("busybox", m.repositoryProperty().get());
        m.next();
        assertEquals(PushWizardModel.Step.TARGET, m.stepProperty().get());
        assertEquals("docker.io/<your user>/busybox:latest", m.targetPreviewProperty().get());

        m.repositoryProperty().set("My_App");
        assertTrue(m.messageProperty().get().contains("not a valid Docker Hub repository name"), m.messageProperty().get());
        m.next();
        assertEquals(PushWizardModel.Step.TARGET, m.stepProperty().get(), "an invalid name does not advance");
        m.repositoryProperty().set("my-app");
        m.tagProperty().set("1.0");
        assertEquals("", m.messageProperty().get());

        m.next();
        assertEquals(PushWizardModel.Step.SIGN_IN, m.stepProperty().get());
        m.signIn("Alice", "bad");
        assertEquals("The user name or password was not accepted by docker.io.", m.messageProperty().get());
        assertEquals(PushWizardModel.Step.SIGN_IN, m.stepProperty().get());
        m.signIn("Alice", "good");

        assertEquals(PushWizardModel.Step.PUSH, m.stepProperty().get());
        assertEquals(List.of("docker.io/alice/my-app:1.0"), backend.pushedTargets);
        assertEquals("sha256:" + "d".repeat(64), m.digestProperty().get());
        assertEquals("docker pull alice/my-app@sha256:" + "d".repeat(64), m.pullCommandProperty().get());
        assertEquals(List.of(PushWizardModel.Layer.Kind.EXISTS, PushWizardModel.Layer.Kind.MOUNTED,
                PushWizardModel.Layer.Kind.PUSHED), m.layers().stream().map(PushWizardModel.Layer::kind).toList());
        assertTrue(m.doneProperty().get());
        assertFalse(m.retryableProperty().get());
    }

    @Test
    void imageOnAListedRegistryKeepsItsRegistryAndSignedInGoesStraightToPush() {
        Scripted backend = new Scripted();
        backend.users.put("localhost:5000", "bob");
        PushWizardModel m = new PushWizardModel(backend, UiExecutor.synchronous());
        m.load("localhost:5000/team/app:2");
        assertEquals("localhost:5000", m.registryProperty().get());
        assertEquals("team/app", m.repositoryProperty().get());
        assertEquals("2", m.tagProperty().get());
        m.next();
        m.next();
        assertEquals(List.of("localhost:5000/team/app:2"), backend.pushedTargets);
        assertEquals("docker pull localhost:5000/team/app@sha256:" + "d".repeat(64), m.pullCommandProperty().get());
    }

    @Test
    void networkLossOffersRetryAndRetrySucceeds() {
        Scripted backend = new Scripted();
        backend.users.put("localhost:5000", "bob");
        backend.failures.add(new PushFailedException(PushErrors.of("localhost:5000", true, new BerthException(
                ErrorCategory.INVALID_ARGUMENT, "Put \"http://localhost:5000/v2/x/blobs/uploads/\": dial tcp 127.0.0.1:5000: "
                + "connect: connection refused")), null));
        PushWizardModel m = new PushWizardModel(backend, UiExecutor.synchronous());
        m.load("localhost:5000/team/app:2");
        m.next();
        m.next();
        assertTrue(m.messageProperty().get().startsWith("The connection to localhost:5000 was lost"), m.messageProperty().get());
        assertTrue(m.retryableProperty().get());
        assertNull(m.digestProperty().get());
        m.retry();
        assertEquals(2, backend.pushedTargets.size());
        assertFalse(m.retryableProperty().get());
        assertEquals("", m.messageProperty().get());
        assertTrue(m.digestProperty().get().startsWith("sha256:"));
    }

    @Test
    void deniedNotSignedInAndRateLimitedHaveActionableWords() {
        var denied = PushErrors.of("docker.io", true, new BerthException(ErrorCategory.INVALID_ARGUMENT,
                "denied: requested access to the resource is denied"));
        assertTrue(denied.message().startsWith("Access denied by docker.io"), denied.message());
        assertFalse(denied.retryable());
        var anonymous = PushErrors.of("docker.io", false, new BerthException(ErrorCategory.INVALID_ARGUMENT,
                "unauthorized: authentication required"));
        assertEquals("Not signed in to docker.io: sign in, then push again.", anonymous.message());
        var limited = PushErrors.of("docker.io", true, new BerthException(ErrorCategory.UNAVAILABLE,
                "toomanyrequests: rate limit exceeded (HTTP 429: registry rate limit reached, gave up after 5 attempts; "
                        + "ratelimit-remaining: 0;w=21600)"));
        assertTrue(limited.message().startsWith("docker.io is rate limiting pushes (remaining: 0;w=21600)"), limited.message());
        assertTrue(limited.retryable());
        var refused = PushErrors.of("r:5000", true, new BerthException(ErrorCategory.UNAVAILABLE,
                "Head \"http://r:5000/v2/a/blobs/sha256:1\": dial tcp r:5000: connect: connection refused"));
        assertTrue(refused.retryable());
        assertTrue(refused.message().contains("press Retry"));
    }
}
