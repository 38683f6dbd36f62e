package io.edgeai4j.runtime.link;

import java.time.Duration;

/**
 * What an {@link EmulatedLink} has carried so far.
 *
 * @param messages Messages the parent's hub accepted.
 * @param bytes Their bytes on the link ({@link EmulatedLink#wireSize}), once per message.
 * @param retransmissions Transmissions sent again (lost, or on the link when it went down).
 * @param deferred Offers the link refused (down or full); those messages waited in the child's store.
 * @param queued Messages on the link now.
 * @param queuedBytes Their bytes.
 * @param meanTransit The mean time from the link taking a message to the parent accepting it.
 * @param maxTransit The longest such time.
 */
public record LinkStats(long messages, long bytes, long retransmissions, long deferred, long queued,
    long queuedBytes, Duration meanTransit, Duration maxTransit) {}
