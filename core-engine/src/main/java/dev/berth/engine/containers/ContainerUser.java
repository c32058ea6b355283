package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** A container's {@code User} ("name", "uid", "name:group", "uid:gid") as numeric ids, from its own passwd/group. */
final class ContainerUser {
    private ContainerUser() {
    }

    static int[] resolve(Path root, String user) throws IOException {
        if (user == null || user.isEmpty()) {
            return new int[] {0, 0};
        }
        String[] ug = user.split(":", 2);
        int uid;
        int gid = -1;
        String[] pw = find(root, "/etc/passwd", ug[0], 2);
        if (ug[0].matches("\\d+")) {
            uid = Integer.parseInt(ug[0]);
            if (pw != null && pw.length > 3) {
                gid = Integer.parseInt(pw[3]);
            }
        } else if (pw != null && pw.length > 3) {
            uid = Integer.parseInt(pw[2]);
            gid = Integer.parseInt(pw[3]);
        } else {
            throw BerthException.invalid("unable to find user " + ug[0] + ": no matching entries in passwd file");
        }
        if (ug.length > 1) {
            if (ug[1].matches("\\d+")) {
                gid = Integer.parseInt(ug[1]);
            } else {
                String[] gr = find(root, "/etc/group", ug[1], 2);
                if (gr == null || gr.length < 3) {
                    throw BerthException.invalid("unable to find group " + ug[1] + ": no matching entries in group file");
                }
                gid = Integer.parseInt(gr[2]);
            }
        }
        return new int[] {uid, gid < 0 ? 0 : gid};
    }

    /** The line whose name (field 0) or id (field {@code idField}) is {@code key}, split on ':'. */
    private static String[] find(Path root, String file, String key, int idField) throws IOException {
        Path p;
        try {
            p = ScopedPath.resolve(root, file, true, false);
        } catch (IOException e) {
            return null;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        List<String> lines = Files.readAllLines(p);
        for (String line : lines) {
            String[] f = line.split(":");
            if (f.length > idField && (f[0].equals(key) || f[idField].equals(key))) {
                return f;
            }
        }
        return null;
    }
}
