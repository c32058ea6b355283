package dev.berth.engine.client;

/**
 * API version negotiation, apart from {@link EngineClient} so that the CLI's lean list path
 * ({@code berth ps}, {@code berth images}) can use it without initialising OkHttp.
 */
public final class ApiVersions {
    private ApiVersions() {
    }

    /** The lower of {@link EngineClient#MAX_API_VERSION} and what the engine offers; the fallback when it offers nothing. */
    public static String negotiate(String serverVersion) {
        if (serverVersion == null || serverVersion.isBlank()) {
            return EngineClient.FALLBACK_API_VERSION;
        }
        return compare(serverVersion.strip(), EngineClient.MAX_API_VERSION) < 0 ? serverVersion.strip()
                : EngineClient.MAX_API_VERSION;
    }

    /** Compares dotted versions numerically: {@code 1.9 < 1.10}. */
    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parseIntOr(x[i], 0) : 0;
            int yi = i < y.length ? parseIntOr(y[i], 0) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
