package org.poollab.plugins.vit;

import org.poollab.api.backbone.Backbone;
import org.poollab.api.graph.Layers;
import org.poollab.testkit.BackboneContract;

class VisionTransformerContractTest extends BackboneContract {

    @Override
    protected Backbone backbone() {
        return new VisionTransformer(new Layers());
    }
}
