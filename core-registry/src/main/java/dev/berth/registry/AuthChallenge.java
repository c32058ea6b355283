package dev.berth.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235): a scheme and its parameters, e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"}.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    public String param(String name) {
        return params.get(name);
    }

    /** Parses every challenge in the given header values; malformed parts are skipped, never fatal. */
    public static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> out = new ArrayList<>();
        for (String value : headerValues) {
            parseInto(value, out);
        }
        return out;
    }

    /** The challenge to answer: Bearer if offered (it scopes access), else Basic. */
    public static AuthChallenge preferred(List<AuthChallenge> challenges) {
        AuthChallenge basic = null;
        for (AuthChallenge c : challenges) {
            if (c.isBearer()) {
                return c;
            }
            if (c.isBasic() && basic == null) {
                basic = c;
            }
        }
        return basic;
    }

    private static void parseInto(String s, List<AuthChallenge> out) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && isTokenChar(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                return;
            }
            String scheme = s.substring(start, i);
            Map<String, String> params = new LinkedHashMap<>();
            while (i < n) {
                int save = i;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                    i++;
                }
                int ks = i;
                while (i < n && isTokenChar(s.charAt(i))) {
                    i++;
                }
                int ke = i;
                while (i < n && s.charAt(i) == ' ') {
                    i++;
                }
                if (ks == ke || i >= n || s.charAt(i) != '=') {
                    // Not key=value: the start of the next challenge.
                    i = save;
                    break;
                }
                i++;
                while (i < n && s.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder v = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    while (i < n && s.charAt(i) != '"') {
                        if (s.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        v.append(s.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                        v.append(s.charAt(i++));
                    }
                }
                params.put(s.substring(ks, ke).toLowerCase(Locale.ROOT), v.toString());
            }
            out.add(new AuthChallenge(scheme, params));
            if (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                return;
            }
        }
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
    }
}
