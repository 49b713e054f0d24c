using System.Data.Common;
using System.Text.Json;
using Dapper;
using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>The events as folded, in fold order, so a rebuild replays exactly what produced the figures.</summary>
internal static class RawEventLog
{
    private static readonly string[] Columns = ["id", "type", "source", "account_id", "occurred_at", "data"];

    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, IReadOnlyCollection<EventEnvelope> events,
        CancellationToken cancellationToken) =>
        SqlRows.InsertAsync(connection, transaction, provider, "metric_events", Columns,
            events.Select(e => new object?[] { e.Id, e.Type, e.Source, e.AccountId, e.OccurredAt.ToUnixTimeMilliseconds(), e.Data.GetRawText() }).ToList(),
            onConflict: "", cancellationToken);

    public static async Task<IReadOnlyList<(long Seq, EventEnvelope Envelope)>> PageAsync(DbConnection connection, DbTransaction transaction, long afterSeq, int size)
    {
        var rows = await connection.QueryAsync<StoredEvent>(
            $"""
            SELECT seq AS Seq, id AS Id, type AS Type, source AS Source, account_id AS AccountId, occurred_at AS OccurredAt, data AS Data
            FROM metric_events WHERE seq > @afterSeq ORDER BY seq LIMIT {size}
            """, new { afterSeq }, transaction);
        return rows.Select(row => (row.Seq, new EventEnvelope(row.Id, row.Type, row.Source, DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt),
            row.AccountId, JsonSerializer.Deserialize<JsonElement>(row.Data)))).ToList();
    }

    private sealed class StoredEvent
    {
        public long Seq { get; set; }
        public string Id { get; set; } = "";
        public string Type { get; set; } = "";
        public string Source { get; set; } = "";
        public string? AccountId { get; set; }
        public long OccurredAt { get; set; }
        public string Data { get; set; } = "";
    }
}
