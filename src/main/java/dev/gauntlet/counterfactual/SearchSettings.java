package dev.gauntlet.counterfactual;

import java.util.function.Consumer;

/**
 * The mutable settings of a counterfactual search, owned by one immutable method object: a
 * with-method copies them, changes the copy and hands it to a new method, whose constructor
 * validates it.
 *
 * @param <S> the concrete settings type
 */
abstract class SearchSettings<S extends SearchSettings<S>> implements Cloneable {

    /**
     * Returns a changed copy; this object is not modified.
     *
     * @param change what to set on the copy
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    final S changed(Consumer<S> change) {
        S copy;
        try {
            copy = (S) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("settings are Cloneable", e);
        }
        change.accept(copy);
        return copy;
    }
}
