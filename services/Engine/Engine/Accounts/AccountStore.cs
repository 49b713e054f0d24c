using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Playbooks.Engine.Storage;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;

namespace Playbooks.Engine.Accounts;

/// <summary>The customer accounts playbooks run against; the engine keeps them as playbook context.</summary>
/// <remarks>Every change is recorded as an <c>account.changed</c> event in the same transaction: threshold and date triggers react to it.</remarks>
public sealed class AccountStore(ServiceDatabase database, AccountEventLog events, TimeProvider clock)
{
    /// <summary>Upserts the accounts in one transaction; <paramref name="changeId"/> names the change (one per request).</summary>
    public async Task UpsertAsync(IReadOnlyList<AccountSnapshot> accounts, string changeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var account in accounts)
        {
            var before = await GetAsync(connection, transaction, account.Id);
            await AccountChanges.RecordAsync(connection, transaction, $"{changeId}:{account.Id}", before, account, now);
        }
        await UpsertAsync(connection, transaction, accounts);
        await transaction.CommitAsync(cancellationToken);
        events.Arrived.Raise();
    }

    /// <summary>Changes one account (e.g. a health score from a health.changed event); returns it as stored.</summary>
    public async Task<AccountSnapshot> ChangeAsync(AccountSnapshot account, string changeId, CancellationToken cancellationToken)
    {
        await UpsertAsync([account], changeId, cancellationToken);
        return account;
    }

    public Task UpsertAsync(DbConnection connection, DbTransaction transaction, IEnumerable<AccountSnapshot> accounts) =>
        WriteAsync(connection, transaction, accounts, clock.GetUtcNow());

    /// <summary>
    /// Applies a run's UpdateAccount changes to the account as stored now, inside the run's transaction: the run loaded the
    /// account when it started, and writing that copy back would undo what a CRM sync or another run changed meanwhile.
    /// </summary>
    /// <param name="lockRow">PostgreSQL: lock the row until commit (SQLite's write transaction already holds the database).</param>
    public static async Task ApplyChangesAsync(DbConnection connection, DbTransaction transaction, string id, IReadOnlyDictionary<string, JsonNode?> changes,
        DateTimeOffset now, bool lockRow)
    {
        var document = await connection.QuerySingleOrDefaultAsync<string>(
            $"SELECT document FROM accounts WHERE id = @id{(lockRow ? " FOR UPDATE" : "")}", new { id }, transaction);
        if (document is null) return;
        await WriteAsync(connection, transaction, [AccountFields.With(EngineJson.Deserialize<AccountSnapshot>(document), changes)], now);
    }

    // The name, owner and segment columns serve the account list's filters, so they change with the document.
    private static Task WriteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<AccountSnapshot> accounts, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO accounts (id, name, owner_csm, segment, document, updated_at) VALUES (@Id, @Name, @OwnerCsm, @Segment, @Document, @Now)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner_csm = excluded.owner_csm, segment = excluded.segment,
                document = excluded.document, updated_at = excluded.updated_at
            """,
            accounts.Select(a => new { a.Id, a.Name, a.OwnerCsm, a.Segment, Document = EngineJson.Serialize(a), Now = EngineJson.Millis(now) }),
            transaction);

    public async Task<AccountSnapshot?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id);
    }

    public static async Task<AccountSnapshot?> GetAsync(DbConnection connection, DbTransaction? transaction, string id)
    {
        var document = await connection.QuerySingleOrDefaultAsync<string>("SELECT document FROM accounts WHERE id = @id", new { id }, transaction);
        return document is null ? null : EngineJson.Deserialize<AccountSnapshot>(document);
    }

    public async Task<(IReadOnlyList<AccountSnapshot> Items, int Total)> ListAsync(string? ownerCsm, string? segment, string? search, int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string where = "WHERE (@ownerCsm IS NULL OR owner_csm = @ownerCsm) AND (@segment IS NULL OR segment = @segment) AND (@search IS NULL OR LOWER(name) LIKE @search)";
        var args = new { ownerCsm, segment, search = search is null ? null : $"%{search.ToLowerInvariant()}%", skip, take };
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM accounts {where}", args);
        var documents = await connection.QueryAsync<string>($"SELECT document FROM accounts {where} ORDER BY name, id LIMIT @take OFFSET @skip", args);
        return (documents.Select(EngineJson.Deserialize<AccountSnapshot>).ToList(), total);
    }
}
