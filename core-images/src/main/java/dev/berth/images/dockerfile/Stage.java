package dev.berth.images.dockerfile;

import java.util.List;

/** One build stage: its FROM and the instructions up to the next FROM. */
public record Stage(int index, String name, Instruction.From from, List<Instruction> body) {
    public Stage {
        body = List.copyOf(body);
    }
}
