/// The state of one live broker connection. A new session starts with every (re)connect; when
/// the connection goes, so does all of this (the broker forgets it too).
final class Session {
    /// Channel 1: publishing in confirm mode, and the direct reply-to consumer for RPC.
    static let publishChannel: UInt16 = 1
    /// Channel 2: declarations, whose refusals close only this channel.
    static let controlChannel: UInt16 = 2
    /// Consumer tag of the direct reply-to consumer on the publish channel.
    static let replyConsumerTag = "pasarela.reply-to"
    /// RabbitMQ's direct reply-to pseudo-queue.
    static let directReplyTo = "amq.rabbitmq.reply-to"

    /// What a publish waits with.
    enum ConfirmToken {
        case publish(PublishCompletion)
        case rpc(correlationID: String)
    }

    /// The method a message's content belongs to.
    enum ContentMethod {
        case returned(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
        case delivered(consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
    }

    let connection: RabbitConnection
    let generation: UInt64
    var confirms = ConfirmTracker<ConfirmToken>()
    var replies = PendingReplies<CheckedContinuation<RPCOutcome, any Error>>()
    var assemblers: [UInt16: ContentAssembler<ContentMethod>] = [:]
    var controlChannelOpen = false
    /// Consumer channels: which consumer, which epoch (bumped when the channel reopens), and the
    /// delivery tags not yet settled.
    var consumerOnChannel: [UInt16: UInt64] = [:]
    var channelOfConsumer: [UInt64: UInt16] = [:]
    var epochs: [UInt16: UInt64] = [:]
    var unsettled: [UInt16: Set<UInt64>] = [:]
    /// Channels of cancelled consumers, closed once their last delivery is settled.
    var draining: Set<UInt16> = []
    private var freeChannels: [UInt16] = []
    private var nextChannel: UInt16 = 3

    init(connection: RabbitConnection, generation: UInt64) {
        self.connection = connection
        self.generation = generation
    }

    /// A channel number for a new consumer.
    func allocateChannel() -> UInt16 {
        if let channel = freeChannels.popLast() { return channel }
        defer { nextChannel += 1 }
        return nextChannel
    }

    /// Gives a closed consumer channel's number back.
    func releaseChannel(_ channel: UInt16) {
        if let consumer = consumerOnChannel.removeValue(forKey: channel) { channelOfConsumer[consumer] = nil }
        unsettled[channel] = nil
        assemblers[channel] = nil
        draining.remove(channel)
        freeChannels.append(channel)
    }

    /// The earliest time something may time out.
    var nextDeadline: ContinuousClock.Instant? {
        switch (confirms.earliestDeadline, replies.earliestDeadline) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b): b
        }
    }
}
