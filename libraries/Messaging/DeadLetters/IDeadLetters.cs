using Playbooks.ServiceDefaults.Security;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Playbooks.Messaging.DeadLetters;

/// <summary>An event a consumer group gave up on after its attempts, with the last error.</summary>
/// <param name="OnBusSince">The earliest a copy of it was on the bus (its first entry, before any replay), so the earliest
/// a copy of it could have been handled.</param>
public sealed record DeadLetter(string Entry, string Group, string? OriginalEntry, string? Error, string? EventId, string? EventType, DateTimeOffset? OccurredAt,
    DateTimeOffset? OnBusSince)
{
    /// <summary>When the group gave up on it: the dead-letter entry's id is the time Redis added it.</summary>
    public DateTimeOffset? DeadAt => Redis.RedisStreamsEventBus.AddedAt(Entry);
}

/// <summary>
/// What a replay did: <see cref="Replayed"/> went back on the bus; <see cref="TooOld"/> stayed, as their events were on
/// the bus longer ago than the inboxes remember (<see cref="Inbox.InboxRetention.ReplayWithin"/>) and could act twice;
/// <c>force</c> replays them.
/// </summary>
public sealed record ReplayResult(int Replayed, int TooOld);

/// <summary>
/// The bus's dead letters: read them, and replay them once the cause is fixed. A replayed event goes back on the bus
/// for the one group that gave up on it (the others handled it already), under its own id, so a consumer that did
/// handle it meanwhile drops it as a duplicate.
/// </summary>
public interface IDeadLetters
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Replays up to <paramref name="max"/> dead letters, only <paramref name="group"/>'s or <paramref name="eventId"/>
    /// when given; those older than the inboxes remember only when <paramref name="force"/> is set.
    /// </summary>
    Task<ReplayResult> ReplayAsync(string? group, string? eventId, int max, bool force, CancellationToken cancellationToken);
}

/// <summary>Embedded mode: the in-process bus hands a failure back to the publisher's outbox, which retries it; nothing is dead-lettered on the bus.</summary>
public sealed class NoDeadLetters : IDeadLetters
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeadLetter>>([]);

    public Task<ReplayResult> ReplayAsync(string? group, string? eventId, int max, bool force, CancellationToken cancellationToken) =>
        Task.FromResult(new ReplayResult(0, 0));
}

public static class DeadLettersApi
{
    /// <summary><c>GET {prefix}</c> lists dead letters; <c>POST {prefix}/replay?group=&amp;eventId=&amp;max=&amp;force=</c> replays them.</summary>
    public static RouteGroupBuilder MapDeadLettersApi(this IEndpointRouteBuilder endpoints, string prefix)
    {
        // SREs look at and replay dead letters (admins too); everyone else is turned away.
        var group = endpoints.MapGroup(prefix).RequireAuthorization(Access.Operate);
        group.MapGet("/", async (IDeadLetters letters, int? max, CancellationToken cancellationToken) =>
            TypedResults.Ok(await letters.ListAsync(Math.Clamp(max ?? 100, 1, 1000), cancellationToken)));
        group.MapPost("/replay", async (IDeadLetters letters, string? group, string? eventId, int? max, bool? force, CancellationToken cancellationToken) =>
            TypedResults.Ok(await letters.ReplayAsync(group, eventId, Math.Clamp(max ?? 1000, 1, 10_000), force ?? false, cancellationToken)));
        return group;
    }

    internal static DeadLetter Parse(string entry, IReadOnlyDictionary<string, string> fields)
    {
        EventEnvelope? envelope = null;
        try
        {
            if (fields.TryGetValue("body", out var body)) envelope = JsonSerializer.Deserialize<EventEnvelope>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
        }
        var original = fields.GetValueOrDefault("entry");
        var since = fields.TryGetValue("since", out var ms) && long.TryParse(ms, out var millis) ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : Redis.RedisStreamsEventBus.AddedAt(original) ?? Redis.RedisStreamsEventBus.AddedAt(entry);
        return new DeadLetter(entry, fields.GetValueOrDefault("group") ?? "", original, fields.GetValueOrDefault("error"),
            envelope?.Id, envelope?.Type, envelope?.OccurredAt, since);
    }
}
