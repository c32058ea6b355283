package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code user[:group]} to numbers through a container's own {@code /etc/passwd} and {@code /etc/group},
 * as Docker's exec resolves {@code -u}. The files are read only when neither they nor {@code /etc}
 * are symlinks, so a container cannot point the daemon at a host file.
 */
public final class ContainerUsers {
    /** @param additionalGids the groups that list the user as a member, as runc's user lookup adds them */
    public record Resolved(int uid, int gid, List<Integer> additionalGids, String home) {
    }

    private ContainerUsers() {
    }

    public static Resolved resolve(Path rootfs, String spec) {
        String userPart = spec;
        String groupPart = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userPart = spec.substring(0, colon);
            groupPart = spec.substring(colon + 1);
        }
        List<String[]> passwd = read(rootfs, "passwd");
        Integer uid = null;
        Integer gid = null;
        String name = null;
        String home = "/";
        for (String[] e : passwd) {
            if (e.length >= 4 && (e[0].equals(userPart) || (isNumber(userPart) && e[2].equals(userPart)))) {
                name = e[0];
                uid = parse(e[2]);
                gid = parse(e[3]);
                home = e.length >= 6 && !e[5].isEmpty() ? e[5] : "/";
                break;
            }
        }
        if (uid == null) {
            if (!isNumber(userPart)) {
                throw BerthException.invalid("unable to find user " + userPart + ": no matching entries in passwd file");
            }
            uid = Integer.parseInt(userPart);
            gid = 0;
        }
        List<String[]> groups = read(rootfs, "group");
        if (groupPart != null && !groupPart.isEmpty()) {
            Integer g = null;
            for (String[] e : groups) {
                if (e.length >= 3 && (e[0].equals(groupPart) || (isNumber(groupPart) && e[2].equals(groupPart)))) {
                    g = parse(e[2]);
                    break;
                }
            }
            if (g == null) {
                if (!isNumber(groupPart)) {
                    throw BerthException.invalid("unable to find group " + groupPart + ": no matching entries in group file");
                }
                g = Integer.parseInt(groupPart);
            }
            gid = g;
        }
        List<Integer> extra = new ArrayList<>();
        if (name != null) {
            for (String[] e : groups) {
                if (e.length >= 4 && List.of(e[3].split(",")).contains(name)) {
                    Integer g = parse(e[2]);
                    if (g != null && !g.equals(gid) && !extra.contains(g)) {
                        extra.add(g);
                    }
                }
            }
        }
        return new Resolved(uid, gid == null ? 0 : gid, extra, home);
    }

    private static List<String[]> read(Path rootfs, String file) {
        Path etc = rootfs.resolve("etc");
        Path f = etc.resolve(file);
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            List<String[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.split(":", -1));
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 10;
    }

    private static Integer parse(String s) {
        return isNumber(s) ? Integer.parseInt(s) : null;
    }
}
