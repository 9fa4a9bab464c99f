package org.poollab.config;

import java.util.Arrays;
import java.util.List;

/**
 * The training recipes, by their {@code trainer.id}: the one list of them. The config reader accepts these ids,
 * each trainer declares its kind, and code that differs per recipe switches over this enum, so that a new recipe
 * that is not handled somewhere fails to compile rather than falling into a default.
 */
public enum TrainerKind {
    /** Cross-entropy on the labels. */
    SUPERVISED("supervised"),
    /** DINO: self-distillation with multi-crop (Caron et al., 2021). */
    DINO("dino"),
    /** MoCo v3: the symmetric contrastive loss with a momentum encoder (Chen, Xie and He, 2021). */
    MOCOV3("mocov3");

    private final String id;

    TrainerKind(String id) {
        this.id = id;
    }

    /** The id experiment files use. */
    public String id() {
        return id;
    }

    /** Every id, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(TrainerKind::id).toList();
    }

    /**
     * @throws IllegalArgumentException for an id that is not one of {@link #ids()} (the reader has checked it)
     */
    public static TrainerKind of(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no trainer '" + id + "'; the trainers are " + ids()));
    }
}
