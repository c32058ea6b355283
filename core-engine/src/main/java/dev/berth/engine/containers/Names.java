package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Docker's container IDs and names: 64 hex digits, and {@code adjective_surname} when none is given. */
final class Names {
    /** moby daemon/names.RestrictedNamePattern, with the optional leading '/' of API shapes. */
    static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");

    // A subset of moby's pkg/namesgenerator lists; the shape, not the exact vocabulary, is what users see.
    private static final List<String> LEFT = List.of("admiring", "adoring", "affectionate", "agitated", "amazing",
            "angry", "awesome", "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "compassionate",
            "competent", "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted", "dreamy",
            "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent", "festive",
            "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great",
            "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent",
            "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
            "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic",
            "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "recursing",
            "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy", "stoic", "strange",
            "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting", "unruffled", "upbeat", "vibrant",
            "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen");
    private static final List<String> RIGHT = List.of("albattani", "allen", "almeida", "archimedes", "ardinghelli",
            "babbage", "banach", "bardeen", "bartik", "bassi", "bell", "benz", "bhabha", "bohr", "booth", "borg",
            "bose", "boyd", "brahmagupta", "brattain", "brown", "carson", "cerf", "chandrasekhar", "curie", "darwin",
            "davinci", "dijkstra", "einstein", "elion", "engelbart", "euclid", "euler", "faraday", "fermat", "fermi",
            "feynman", "franklin", "galileo", "gauss", "goldberg", "goodall", "hamilton", "hawking", "heisenberg",
            "hermann", "hodgkin", "hopper", "hypatia", "jackson", "jang", "jennings", "kalam", "kepler", "khorana",
            "knuth", "kowalevski", "lalande", "lamarr", "leakey", "lovelace", "lumiere", "mahavira", "mayer",
            "mccarthy", "mclean", "meitner", "mendel", "merkle", "mirzakhani", "montalcini", "moore", "morse",
            "napier", "newton", "nobel", "noether", "pare", "pascal", "pasteur", "perlman", "pike", "poincare",
            "ramanujan", "ride", "ritchie", "rosalind", "sammet", "shannon", "shockley", "sinoussi", "swartz",
            "tesla", "thompson", "torvalds", "turing", "volhard", "wiles", "williams", "wozniak", "wright", "yalow");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {
    }

    static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** {@code retry} > 0 appends a digit, as moby does once the plain name has collided. */
    static String random(int retry) {
        String n = LEFT.get(RANDOM.nextInt(LEFT.size())) + "_" + RIGHT.get(RANDOM.nextInt(RIGHT.size()));
        return retry > 0 ? n + RANDOM.nextInt(10) : n;
    }

    /** The stored form (no leading '/'), or 400 with moby's message. */
    static String validate(String name) {
        if (!VALID.matcher(name).matches()) {
            throw BerthException.invalid("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
