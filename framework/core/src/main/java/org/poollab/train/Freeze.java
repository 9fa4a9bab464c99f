package org.poollab.train;

import java.util.function.Predicate;

/**
 * Parameters left unchanged (no update, no weight decay, no moment update) before a given global step, as DINO
 * does with its head's last layer during the first epoch.
 *
 * @param parameters selects parameters by graph name
 * @param untilStep the first step at which they are updated
 */
public record Freeze(Predicate<String> parameters, int untilStep) {

    /** Nothing frozen. */
    public static final Freeze NONE = new Freeze(name -> false, 0);

    /** Whether parameter {@code name} is frozen at {@code step}. */
    public boolean frozen(String name, int step) {
        return step < untilStep && parameters.test(name);
    }
}
