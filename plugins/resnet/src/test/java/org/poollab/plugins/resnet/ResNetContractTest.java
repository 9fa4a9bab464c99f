package org.poollab.plugins.resnet;

import org.poollab.api.backbone.Backbone;
import org.poollab.api.graph.Layers;
import org.poollab.testkit.BackboneContract;

class ResNetContractTest extends BackboneContract {

    @Override
    protected Backbone backbone() {
        return new ResNet(new Layers());
    }
}
