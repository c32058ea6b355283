package dev.berth.engine.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans engine events out to subscribers (the /events streams) and keeps a bounded history so a client
 * asking with {@code since} sees what it missed.
 */
public final class EventBus {
    private static final int HISTORY = 1024;

    private final CopyOnWriteArrayList<Consumer<EngineEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Deque<EngineEvent> history = new ArrayDeque<>();

    public void publish(EngineEvent e) {
        synchronized (history) {
            history.addLast(e);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
            // Under the lock, so a subscriber never gets an event both from history and live.
            // Subscribers only enqueue; they never block here.
            for (Consumer<EngineEvent> s : subscribers) {
                s.accept(e);
            }
        }
    }

    /** Subscribes and returns the history at that moment, atomically, so nothing falls between the two. */
    public List<EngineEvent> subscribe(Consumer<EngineEvent> subscriber) {
        synchronized (history) {
            subscribers.add(subscriber);
            return new ArrayList<>(history);
        }
    }

    public void unsubscribe(Consumer<EngineEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    /** How many {@code /events} streams are subscribed now (tests check that a client's leaving ends its stream). */
    public int subscriberCount() {
        return subscribers.size();
    }
}
