package dev.berth.registry;

/** How a blob push ended. */
public enum PushOutcome {
    /** The registry already had it in the target repository: nothing was sent. */
    ALREADY_EXISTS,
    /** The registry linked it from another repository (cross-repository mount): nothing was sent. */
    MOUNTED,
    /** The bytes were uploaded. */
    UPLOADED
}
