package dev.berth.desktop.build;

import java.util.Optional;

/**
 * How the build wizard's "Push…" button opens the push wizard, which lives in another package and
 * branch. The app installs one at start-up ({@code PushLauncher.install(ref -> PushWizard.open(ref))});
 * without one the button is hidden.
 */
@FunctionalInterface
public interface PushLauncher {
    void open(String imageRef);

    final class Holder {
        private static volatile PushLauncher installed;

        private Holder() {
        }
    }

    static void install(PushLauncher launcher) {
        Holder.installed = launcher;
    }

    static Optional<PushLauncher> installed() {
        return Optional.ofNullable(Holder.installed);
    }
}
