/**
 * Container logs: conmon's k8s-file log read back as {@code GET /containers/{id}/logs} serves it.
 *
 * <p>What conmon 2.1.6 does, checked against its source (src/ctr_logging.c) and against the binary in
 * RealConmonLogTest: every record is {@code <time with local offset, 9 digits> <stdout|stderr> <P|F>
 * <content>\n}; a read that did not end in a newline becomes a P record; all lines from one read share
 * one timestamp; and {@code --log-size-max} rotation writes {@code <log>.tmp} and renames it over the
 * log, so the old content is gone unless something else still links it. Docker's max-file therefore
 * needs Berth to keep old files itself: {@link dev.berth.engine.logs.RotatedLogKeeper} does, and
 * {@link dev.berth.engine.logs.K8sLogReader} reads them as {@code <log>.1} (newest) to {@code <log>.N}
 * (oldest), the json-file driver's naming.
 *
 * <p>Shapes on the wire follow moby: stdcopy framing without a TTY, raw bytes with one, timestamps
 * as rfc3339NanoFixed in UTC, and the query parsed as getContainersLogs parses it.
 */
package dev.berth.engine.logs;
