package dev.gauntlet.assertj;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

import java.lang.reflect.InvocationTargetException;

/**
 * Creates the assertion a navigation method such as {@code on(data)} leads to: a plain one for
 * {@link GauntletAssertions}, a collecting proxy for {@link GauntletSoftAssertions}. Every
 * Gauntlet assertion carries its factory, so a chain started softly stays soft.
 */
interface AssertFactory {

    /** Creates plain assertions that throw at the first failure. */
    AssertFactory HARD = new AssertFactory() {
        @Override
        public <A extends AbstractAssert<?, ?>, T> A create(Class<A> assertType, Class<T> actualType, T actual) {
            try {
                return assertType.getConstructor(actualType).newInstance(actual);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot create " + assertType.getSimpleName(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(assertType.getSimpleName() + " needs a public constructor taking "
                        + actualType.getSimpleName(), e);
            }
        }
    };

    /**
     * Creates an assertion on {@code actual}.
     *
     * @param assertType the assertion class, with a public constructor taking {@code actualType}
     * @param actualType the type of the value under test
     * @param actual the value under test
     * @param <A> the assertion type
     * @param <T> the actual type
     * @return the assertion
     */
    <A extends AbstractAssert<?, ?>, T> A create(Class<A> assertType, Class<T> actualType, T actual);

    /**
     * Creates collecting proxies through a soft-assertions provider.
     *
     * @param softly the provider that collects the failures
     * @return the factory
     */
    static AssertFactory soft(SoftAssertionsProvider softly) {
        return new AssertFactory() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public <A extends AbstractAssert<?, ?>, T> A create(Class<A> assertType, Class<T> actualType, T actual) {
                A proxy = (A) softly.proxy((Class) assertType, (Class) actualType, actual);
                if (proxy instanceof GauntletAssert<?, ?> gauntletAssert) {
                    gauntletAssert.factory = this;
                }
                return proxy;
            }
        };
    }
}
