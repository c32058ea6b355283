package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's {@code --user} and {@code --group-add} (moby daemon getUser over moby/sys/user
 * GetExecUser): "name", "uid", "uid:gid", "name:group", resolved through the image's /etc/passwd and
 * /etc/group. A numeric id needs no entry; a name that has none is Docker's error. Without an explicit
 * group the user's supplementary groups are the /etc/group lines that list it.
 */
public final class UserResolver {
    private static final long MAX_ID = (1L << 31) - 1;

    /** The process's identity: uid, gid, and additionalGids (gid first, as moby puts it). */
    public record User(int uid, int gid, List<Integer> additionalGids) {
    }

    private record PasswdEntry(String name, int uid, int gid) {
    }

    private record GroupEntry(String name, int gid, List<String> members) {
    }

    private UserResolver() {
    }

    public static User resolve(String spec, List<String> groupAdd, ImageFiles files) {
        Optional<String> passwd = files.readString("/etc/passwd");
        Optional<String> group = files.readString("/etc/group");
        String s = spec == null ? "" : spec;
        int colon = s.indexOf(':');
        String userArg = colon < 0 ? s : s.substring(0, colon);
        String groupArg = colon < 0 ? "" : s.substring(colon + 1);
        Long uidArg = numeric(userArg);
        Long gidArg = numeric(groupArg);

        int uid = 0;
        int gid = 0;
        String matchedName = null;
        PasswdEntry match = null;
        for (PasswdEntry u : passwd.map(UserResolver::parsePasswd).orElse(List.of())) {
            boolean hit = userArg.isEmpty() ? u.uid() == 0 : uidArg != null ? u.uid() == uidArg : u.name().equals(userArg);
            if (hit) {
                match = u;
                break;
            }
        }
        if (match != null) {
            matchedName = match.name();
            uid = match.uid();
            gid = match.gid();
        } else if (!userArg.isEmpty()) {
            if (uidArg == null) {
                throw BerthException.invalid("unable to find user " + userArg + ": no matching entries in passwd file");
            }
            uid = uidArg.intValue();
        }
        List<Integer> sgids = new ArrayList<>();
        List<GroupEntry> groups = group.map(UserResolver::parseGroup).orElse(List.of());
        if (!groupArg.isEmpty()) {
            GroupEntry g = groups.stream()
                    .filter(e -> gidArg != null ? e.gid() == gidArg : e.name().equals(groupArg))
                    .findFirst().orElse(null);
            if (g != null) {
                gid = g.gid();
            } else if (gidArg == null) {
                throw BerthException.invalid("unable to find group " + groupArg + ": no matching entries in group file");
            } else {
                gid = gidArg.intValue();
            }
        } else if (matchedName != null) {
            for (GroupEntry g : groups) {
                if (g.members().contains(matchedName)) {
                    sgids.add(g.gid());
                }
            }
        }
        Set<Integer> additional = new LinkedHashSet<>();
        additional.add(gid);
        additional.addAll(sgids);
        for (String ag : groupAdd == null ? List.<String>of() : groupAdd) {
            Long n = numeric(ag);
            GroupEntry g = groups.stream().filter(e -> n != null ? e.gid() == n : e.name().equals(ag)).findFirst().orElse(null);
            if (g != null) {
                additional.add(g.gid());
            } else if (n != null) {
                additional.add(n.intValue());
            } else {
                throw BerthException.invalid("unable to find group " + ag + ": no matching entries in group file");
            }
        }
        return new User(uid, gid, List.copyOf(additional));
    }

    /** moby parseNumeric: a number in 0..2^31-1, null for a name; out of range is Docker's error. */
    private static Long numeric(String v) {
        if (v.isEmpty() || !v.matches("[+-]?\\d+")) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n < 0 || n > MAX_ID) {
            throw BerthException.invalid("uids and gids must be in range 0-" + MAX_ID);
        }
        return n;
    }

    private static int atoi(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<PasswdEntry> parsePasswd(String text) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split(":", -1);
            out.add(new PasswdEntry(f[0], f.length > 2 ? atoi(f[2]) : 0, f.length > 3 ? atoi(f[3]) : 0));
        }
        return out;
    }

    private static List<GroupEntry> parseGroup(String text) {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(":", -1);
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            out.add(new GroupEntry(f[0], f.length > 2 ? atoi(f[2]) : 0, members));
        }
        return out;
    }
}
