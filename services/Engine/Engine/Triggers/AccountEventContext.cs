using Dapper;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// What handling one account's event reads before it changes anything: the account, the runs waiting on the event, and
/// where the account stands with each playbook the event triggers. One round trip: read one by one, these were three,
/// about a fifth of the engine's CPU at 150 events a second.
/// </summary>
internal sealed record AccountEventContext(
    AccountSnapshot? Account,
    IReadOnlyList<(string InstanceId, string BookmarkId)> Waiting,
    IReadOnlyDictionary<string, Enrolment.Standing> Standings)
{
    public static async Task<AccountEventContext> ReadAsync(ServiceDatabase database, string accountId, string eventKey, string[] triggered,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var answers = await connection.QueryMultipleAsync(
            $"""
            SELECT document FROM accounts WHERE id = @accountId;
            SELECT instance_id, id FROM bookmarks WHERE key = @eventKey;
            {Enrolment.StandingQueries(database.Provider)}
            """,
            new { accountId, eventKey, definitionIds = triggered, now = EngineJson.Millis(now) });
        var document = await answers.ReadSingleOrDefaultAsync<string>();
        var waiting = (await answers.ReadAsync<(string, string)>()).ToList();
        var standings = await Enrolment.ReadStandingsAsync(answers, triggered);
        return new(document is null ? null : EngineJson.Deserialize<AccountSnapshot>(document), waiting, standings);
    }

    /// <summary>
    /// PostgreSQL: the same reads as commands for a batch that does something else too (storing the event that needs
    /// them, <see cref="AccountEventLog"/>); <see cref="ReadAsync(Npgsql.NpgsqlDataReader, string[], CancellationToken)"/>
    /// reads their answers, which come in this order.
    /// </summary>
    public static IEnumerable<Npgsql.NpgsqlBatchCommand> Commands(string accountId, string eventKey, string[] triggered, DateTimeOffset now)
    {
        yield return new("SELECT document FROM accounts WHERE id = $1") { Parameters = { new Npgsql.NpgsqlParameter<string> { TypedValue = accountId } } };
        yield return new("SELECT instance_id, id FROM bookmarks WHERE key = $1") { Parameters = { new Npgsql.NpgsqlParameter<string> { TypedValue = eventKey } } };
        // The standings' statements are Enrolment's own, with its named parameters.
        foreach (var statement in Enrolment.StandingQueries(DatabaseProvider.Postgres).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            yield return new(statement)
            {
                Parameters =
                {
                    new Npgsql.NpgsqlParameter<string>("accountId", accountId), new Npgsql.NpgsqlParameter<string[]>("definitionIds", triggered),
                    new Npgsql.NpgsqlParameter<long>("now", EngineJson.Millis(now)),
                },
            };
    }

    /// <summary>The answers of <see cref="Commands"/>, the reader standing just before them.</summary>
    public static async Task<AccountEventContext> ReadAsync(Npgsql.NpgsqlDataReader reader, string[] triggered, CancellationToken cancellationToken)
    {
        await reader.NextResultAsync(cancellationToken);
        var document = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        await reader.NextResultAsync(cancellationToken);
        var waiting = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken)) waiting.Add((reader.GetString(0), reader.GetString(1)));
        await reader.NextResultAsync(cancellationToken);
        var snoozes = new List<(string, long, string?)>();
        while (await reader.ReadAsync(cancellationToken)) snoozes.Add((reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        await reader.NextResultAsync(cancellationToken);
        var running = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken)) running.Add((reader.GetString(0), reader.GetInt64(1)));
        return new(document is null ? null : EngineJson.Deserialize<AccountSnapshot>(document), waiting, Enrolment.Standings(snoozes, running, triggered));
    }
}
