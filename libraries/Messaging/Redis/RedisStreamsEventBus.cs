using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

/// <summary>
/// The distributed bus: one Redis stream of events, one consumer group per service. Delivery is at least once:
/// an entry is acknowledged only after its handler succeeded; a dead consumer's entries are reclaimed (XAUTOCLAIM)
/// and an entry that keeps failing moves to a dead-letter stream. StackExchange.Redis 1.2.6 has no stream API,
/// so commands go through <c>Execute</c>.
/// </summary>
internal sealed partial class RedisStreamsEventBus(IConnectionMultiplexer redis, RedisBusOptions options, ILogger<RedisStreamsEventBus> logger) : IEventBus
{
    public const string Stream = "playbooks:events";
    public const string DeadLetterStream = "playbooks:events:dead";

    /// <summary>An entry id is "&lt;milliseconds since the epoch on the Redis server&gt;-&lt;sequence&gt;": the moment XADD took it.</summary>
    internal static DateTimeOffset? AddedAt(string? entryId) =>
        entryId is not null && long.TryParse(entryId.AsSpan(0, entryId.IndexOf('-') is var dash and >= 0 ? dash : entryId.Length), out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The suite's consumer groups (one per service): the stream keeps every entry until each has acknowledged it.</summary>
    public static readonly IReadOnlyCollection<string> ServiceGroups = ["engine", "tasks", "notifications", "metrics"];

    public async Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        var database = redis.GetDatabase();
        try
        {
            if (events.Count == 1)
            {
                await Add(database, events[0]);
                return;
            }
            // One MULTI/EXEC rather than a pipeline: Redis serves a blocked reader after each command, so a pipeline of a
            // run's three events woke every service's reader with the first and had it read again for the other two.
            var transaction = database.CreateTransaction();
            var added = events.Select(envelope => Add(transaction, envelope)).ToList();
            await transaction.ExecuteAsync();
            await Task.WhenAll(added);
        }
        catch (Exception error) when (IsUnavailable(error))
        {
            throw new BusUnavailableException($"Redis cannot take events just now: {error.Message}", error);
        }
    }

    // Redis's answers while it cannot take any write: starting up, busy with a script, a replica, out of memory, unable
    // to persist, a cluster without its primaries.
    private static readonly string[] StateErrors = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "OOM", "MISCONF", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"];

    private static bool IsUnavailable(Exception error) => error switch
    {
        RedisConnectionException or TimeoutException => true,
        RedisServerException server => StateErrors.Any(prefix => server.Message.StartsWith(prefix, StringComparison.Ordinal)),
        AggregateException many => many.InnerExceptions.Any(IsUnavailable),
        _ => false,
    };

    // Not capped here: a cap trims by count, unread entries included. StreamUpkeep trims what every group acknowledged.
    private static Task<RedisResult> Add(IDatabaseAsync database, EventEnvelope envelope) =>
        database.ExecuteAsync("XADD", Stream, "*", "id", envelope.Id, "type", envelope.Type, "body", JsonSerializer.SerializeToUtf8Bytes(envelope, JsonSerializerOptions.Web));

    public IDisposable Subscribe(string consumerGroup, IReadOnlyCollection<string> eventTypes, EventHandler handler,
        int accountsAtOnce = Consumers.IEventConsumer.DefaultAccountsAtOnce, TimeSpan gatherFor = default)
    {
        var consumer = new RedisStreamConsumer(redis, options, consumerGroup, eventTypes, handler, accountsAtOnce, gatherFor, logger);
        consumer.Start();
        return consumer;
    }
}
