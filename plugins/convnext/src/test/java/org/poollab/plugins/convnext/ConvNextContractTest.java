package org.poollab.plugins.convnext;

import org.poollab.api.backbone.Backbone;
import org.poollab.api.graph.Layers;
import org.poollab.testkit.BackboneContract;

class ConvNextContractTest extends BackboneContract {

    @Override
    protected Backbone backbone() {
        return new ConvNext(new Layers());
    }
}
