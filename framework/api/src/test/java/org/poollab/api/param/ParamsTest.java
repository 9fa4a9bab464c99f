package org.poollab.api.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults, then the preset, then the user's values; unknown names refused; the typed getters. */
class ParamsTest {

    private static final List<ParamSpec> SPECS = List.of(
            ParamSpec.intParam("heads", 1, "attention heads").min(1),
            ParamSpec.intParam("depth", 12, "blocks").min(1),
            ParamSpec.optionalDouble("gamma", "power"),
            ParamSpec.boolParam("beta", false, "learned bias"));

    @Test
    void aPresetReplacesDefaultsAndTheUserReplacesThePreset() {
        Params params = Params.resolve(SPECS, Map.of("heads", 6, "depth", 4), Map.of("depth", "2"));
        assertEquals(6, params.getInt("heads"), "from the preset");
        assertEquals(2, params.getInt("depth"), "the user's, as a --set string");
        assertNull(params.getOptionalDouble("gamma"), "the default");
        assertEquals(false, params.getBoolean("beta"));
        assertEquals(List.of("heads", "depth", "gamma", "beta"), List.copyOf(params.asMap().keySet()),
                "declaration order");
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        ParamException unknown = assertThrows(ParamException.class,
                () -> Params.resolve(SPECS, Map.of(), Map.of("head", 2)));
        assertEquals("head", unknown.parameter());
        assertEquals("is not a parameter of this component; known parameters: heads, depth, gamma, beta",
                unknown.getMessage());
    }

    @Test
    void aDivisorOfTheWidthIsReturnedAndAnyOtherValueRefused() {
        Params params = Params.resolve(SPECS, Map.of(), Map.of("heads", 3));
        assertEquals(3, params.getIntDividing("heads", 192));
        ParamException notDividing = assertThrows(ParamException.class, () -> params.getIntDividing("heads", 64));
        assertEquals("heads", notDividing.parameter());
        assertEquals("is 3 but must divide the feature width d = 64", notDividing.getMessage());
    }

    @Test
    void aRequiredValueThatIsMissingIsAnError() {
        Params params = Params.defaults(SPECS);
        assertThrows(NullPointerException.class, () -> params.getDouble("gamma"));
    }
}
