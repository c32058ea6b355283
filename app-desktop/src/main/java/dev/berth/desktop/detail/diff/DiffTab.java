package dev.berth.desktop.detail.diff;

import dev.berth.desktop.containers.ContainerDetailTab;
import dev.berth.desktop.core.AppServices;

/** Registers the "Files changed" tab ({@code GET /containers/{id}/changes}) in the container detail. */
public final class DiffTab implements ContainerDetailTab {
    @Override
    public String title() {
        return "Files changed";
    }

    @Override
    public Content create(String containerId, AppServices services) {
        DiffViewModel vm = new DiffViewModel(services.ui(), () -> services.engine().client().containers().changes(containerId));
        DiffView view = new DiffView(vm);
        vm.refresh();
        return Content.of(view);
    }
}
