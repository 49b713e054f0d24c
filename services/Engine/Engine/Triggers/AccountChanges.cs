using System.Data.Common;
using System.Text.Json;
using Dapper;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Records a change to an account's trigger-relevant fields as an internal <c>account.changed</c> event in the same
/// transaction as the change, so threshold crossings and re-planned dates are processed durably, exactly once.
/// </summary>
public static class AccountChanges
{
    public const string EventType = "account.changed";

    public sealed record Change(AccountSnapshot? Before, AccountSnapshot After);

    public static async Task RecordAsync(DbConnection connection, DbTransaction transaction, string changeId, AccountSnapshot? before, AccountSnapshot after, DateTimeOffset now)
    {
        if (before is not null && JsonSerializer.Serialize(before, EngineJson.Options) == JsonSerializer.Serialize(after, EngineJson.Options)) return;
        await connection.ExecuteAsync(
            """
            INSERT INTO account_events (id, type, account_id, occurred_at, data, received_at, trace_parent)
            VALUES (@changeId, @type, @accountId, @now, @data, @now, @trace) ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                changeId, type = EventType, accountId = after.Id, now = EngineJson.Millis(now),
                data = JsonSerializer.Serialize(new Change(before, after), EngineJson.Options),
                trace = EventTracing.CurrentTraceParent(),
            },
            transaction);
    }

    /// <summary>The field's number (threshold) or date (date trigger), looked up in standard fields, then custom fields.</summary>
    public static JsonElement? Field(AccountSnapshot? account, string field)
    {
        if (account is null) return null;
        var json = JsonSerializer.SerializeToElement(account, JsonSerializerOptions.Web);
        if (json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null) return value;
        return account.Custom is { } custom && custom.TryGetValue(field, out var customValue) ? customValue : null;
    }
}
