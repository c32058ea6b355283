package dev.berth.desktop.push;

import dev.berth.desktop.registries.RegistryList;
import dev.berth.desktop.registries.SavedRegistry;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.RegistryLogins;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.PlainMessages;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The wizard's backend on the real engine: its images, the saved registry list, docker's logins. */
public final class EngineBackend implements PushWizardModel.Backend {
    private final EngineClient engine;
    private final RegistryList list;
    private final RegistryLogins logins;
    private final CredentialStore credentials;

    public EngineBackend(EngineClient engine, DesktopCatalog catalog, CredentialStore credentials) {
        this.engine = engine;
        this.credentials = credentials;
        this.list = new RegistryList(catalog);
        this.logins = new RegistryLogins(engine, credentials);
    }

    @Override
    public List<String> localImages() {
        return engine.listImages().stream().flatMap(i -> i.repoTags().stream())
                .filter(t -> !t.equals("<none>:<none>")).distinct().sorted().toList();
    }

    @Override
    public List<String> registries() {
        return list.all().stream().map(SavedRegistry::host).toList();
    }

    @Override
    public Optional<String> user(String registry) {
        return dev.berth.desktop.registries.SignedIn.user(credentials, list, registry);
    }

    @Override
    public String signIn(String registry, String user, String password) {
        try {
            String status = logins.signIn(registry, user, password);
            list.rememberUser(registry, user);
            return status;
        } catch (BerthException e) {
            if (e.category() == ErrorCategory.UNAUTHORIZED) {
                throw new BerthException(e.category(), "The user name or password was not accepted by " + registry
                        + ". For Docker Hub, an access token works as the password.", e);
            }
            throw new BerthException(e.category(), PlainMessages.of(registry, e), e);
        }
    }

    @Override
    public String push(String image, PushTarget target, Consumer<PushModel.Progress> progress) {
        return new PushModel(engine, logins).push(image, target, progress);
    }
}
