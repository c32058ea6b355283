package dev.berth.desktop.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Light, dark, or following the OS (JavaFX's platform preferences, where the desktop reports one). */
public enum Theme {
    SYSTEM, LIGHT, DARK;

    /**
     * ControlsFX's StatusBar and notification popups paint with Modena's looked-up colours, which AtlantaFX
     * does not define: their backgrounds failed to resolve (a ClassCastException warning each) and stayed
     * unpainted. Defined here in AtlantaFX's palette, in the user-agent stylesheet so popups see them too.
     */
    static final String MODENA_COLOURS = ".root { -fx-body-color: -color-bg-subtle; -fx-outer-border: -color-border-default;"
            + " -fx-inner-border: -color-bg-default; }";

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
        Application.setUserAgentStylesheet(userAgentStylesheet());
    }

    /** AtlantaFX's theme, imported by absolute URL into a data: stylesheet that adds {@link #MODENA_COLOURS}. */
    public String userAgentStylesheet() {
        String atlanta = dark() ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet();
        String absolute = Theme.class.getResource(atlanta).toExternalForm();
        String css = "@import url(\"" + absolute + "\");\n" + MODENA_COLOURS + "\n";
        return "data:text/css;base64," + Base64.getEncoder().encodeToString(css.getBytes(StandardCharsets.UTF_8));
    }
}
