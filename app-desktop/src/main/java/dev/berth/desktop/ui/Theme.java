package dev.berth.desktop.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;

/** Light, dark, or following the OS (JavaFX's platform preferences, where the desktop reports one). */
public enum Theme {
    SYSTEM, LIGHT, DARK;

    public static Theme parse(String s) {
        try {
            return s == null ? SYSTEM : valueOf(s.toUpperCase());
        } catch (IllegalArgumentException e) {
            return SYSTEM;
        }
    }

    public boolean dark() {
        return switch (this) {
            case LIGHT -> false;
            case DARK -> true;
            case SYSTEM -> Platform.getPreferences().getColorScheme() == ColorScheme.DARK;
        };
    }

    public void apply() {
        Application.setUserAgentStylesheet(dark() ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}
