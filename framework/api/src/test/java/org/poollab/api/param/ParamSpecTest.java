package org.poollab.api.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Coercion of raw YAML and {@code --set} values to each type, range checks, and the messages naming the field. */
class ParamSpecTest {

    private static final ParamSpec HEADS = ParamSpec.intParam("heads", 1, "attention heads").min(1).max(64);
    private static final ParamSpec GAMMA = ParamSpec.optionalDouble("gamma", "power").min(0);

    @Test
    void integersComeFromYamlNumbersAndFromStrings() {
        assertEquals(4, HEADS.coerce(4));
        assertEquals(4, HEADS.coerce(4L));
        assertEquals(4, HEADS.coerce(" 4 "));
    }

    @Test
    void aWrongTypeOrAnOutOfRangeValueNamesTheParameterAndWhatItAccepts() {
        ParamException notAnInteger = assertThrows(ParamException.class, () -> HEADS.coerce("four"));
        assertEquals("heads", notAnInteger.parameter());
        assertEquals("is 'four' but must be an integer >= 1 and <= 64", notAnInteger.getMessage());
        assertThrows(ParamException.class, () -> HEADS.coerce(2.5));
        assertThrows(ParamException.class, () -> HEADS.coerce(Long.MAX_VALUE));
        assertEquals("is 0 but must be an integer >= 1 and <= 64", assertThrows(ParamException.class,
                () -> HEADS.coerce(0)).getMessage());
        assertThrows(ParamException.class, () -> HEADS.coerce(65));
        assertEquals(64, HEADS.coerce(64), "bounds are inclusive");
    }

    @Test
    void realsAcceptIntegersAndStringsButNotInfinities() {
        assertEquals(2.0, GAMMA.coerce(2));
        assertEquals(1.5e-3, GAMMA.coerce("1.5e-3"));
        assertThrows(ParamException.class, () -> GAMMA.coerce("NaN"));
        assertThrows(ParamException.class, () -> GAMMA.coerce(Double.POSITIVE_INFINITY));
        assertThrows(ParamException.class, () -> GAMMA.coerce(-0.5));
    }

    @Test
    void noneAndNullAreValuesOnlyOfANullableParameter() {
        assertNull(GAMMA.coerce(null));
        assertNull(GAMMA.coerce("none"));
        assertNull(GAMMA.coerce("null"));
        ParamException missing = assertThrows(ParamException.class, () -> HEADS.coerce("none"));
        assertTrue(missing.getMessage().contains("cannot be null"), missing.getMessage());
        assertEquals("a number >= 0, or none", GAMMA.accepted());
    }

    @Test
    void booleansAndChoicesAcceptOnlyTheirValues() {
        ParamSpec bias = ParamSpec.boolParam("bias", true, "bias");
        assertEquals(false, bias.coerce("false"));
        assertEquals(true, bias.coerce(true));
        assertThrows(ParamException.class, () -> bias.coerce("yes"));
        ParamSpec embedding = ParamSpec.choice("positionalEmbedding", "learned", List.of("learned", "sincos"), "");
        assertEquals("sincos", embedding.coerce("sincos"));
        assertEquals("is 'fixed' but must be one of [learned, sincos]", assertThrows(ParamException.class,
                () -> embedding.coerce("fixed")).getMessage());
    }

    @Test
    void anInconsistentSpecIsAProgrammingErrorAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.choice("c", "x", List.of("a", "b"), ""));
        assertThrows(IllegalArgumentException.class, () -> new ParamSpec("p", ParamType.INT, null, false, null,
                null, List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> new ParamSpec("c", ParamType.CHOICE, "a", false, null,
                null, List.of(), ""));
    }
}
