package org.poollab.train;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * What SameDiff's fit loop asks of an iterator besides its steps, for the ones that feed it one step at a time,
 * once, from inputs made elsewhere: no pre-processor, no reset, no asynchronous prefetch.
 */
abstract class OnePassIterator implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("one step at a time");
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("inputs are prepared before the step, not by the fit loop");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public boolean resetSupported() {
        return false;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("a step range runs once");
    }
}
