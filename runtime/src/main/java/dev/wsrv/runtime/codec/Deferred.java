package dev.wsrv.runtime.codec;

/** A request's {@code data} container that is still, or also, the text it came in: the reply can copy that text. */
sealed interface Deferred permits DeferredObject, DeferredArray {

    /**
     * Returns the text the value is built from.
     *
     * @return the text
     */
    RawData raw();
}
