package org.poollab.api.param;

/**
 * A parameter value that does not fit its {@link ParamSpec}. The message names the parameter and what is
 * allowed; the host prefixes the YAML path ({@code pooling.params.gamma}).
 */
public class ParamException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    /**
     * @param parameter the parameter's name
     * @param message what is wrong and what is allowed
     */
    public ParamException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The name of the offending parameter. */
    public String parameter() {
        return parameter;
    }
}
