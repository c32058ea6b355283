package dev.berth.engine.logs;

/**
 * The streams of Docker's stdcopy framing. The numbers are the first header byte of a multiplexed frame
 * (moby api/pkg/stdcopy), so they must not change.
 */
public enum StdStream {
    STDIN(0),
    STDOUT(1),
    STDERR(2),
    /** Carries an error from the daemon after the 200 has been sent; a client turns it into an error. */
    SYSTEMERR(3);

    private final int id;

    StdStream(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The stream with this header byte, or null for one stdcopy does not know. */
    public static StdStream ofId(int id) {
        for (StdStream s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }
}
