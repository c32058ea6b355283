package dev.berth.desktop.containers;

import java.util.ArrayList;
import java.util.List;

/**
 * The tabs a container's detail pane shows, in order. The detail tabs (logs, inspect, stats,
 * processes, terminal) are added here with one line each.
 */
public final class ContainerDetailTabs {
    private ContainerDetailTabs() {
    }

    public static List<ContainerDetailTab> all() {
        List<ContainerDetailTab> tabs = new ArrayList<>();
        tabs.add(new OverviewTab());
        tabs.addAll(dev.berth.desktop.detail.DetailTabs.all());
        tabs.add(new dev.berth.desktop.detail.diff.DiffTab());
        return tabs;
    }
}
