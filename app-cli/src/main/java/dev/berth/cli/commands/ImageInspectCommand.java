package dev.berth.cli.commands;



/** {@code berth image inspect}: the engine's JSON for images, as docker prints it. */
public final class ImageInspectCommand extends FormatOnlyCommand {
    @Override
    public int run() {
        minArgs(1, args);
        return Inspector.inspect(out(), args, format, name -> cli.client().inspectImageRaw(name), Inspector.ErrorWording.DAEMON);
    }
}
