using Dapper;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Definitions;

/// <summary>
/// Drafts (mutable, one per playbook) and published versions (immutable, numbered from 1). Publishing copies the draft
/// into a new version; running instances keep the version they started on.
/// </summary>
public sealed class DefinitionStore(ServiceDatabase database, TimeProvider clock)
{
    public async Task<bool> CreateAsync(PlaybookDefinition draft, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = EngineJson.Millis(clock.GetUtcNow());
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO definitions (definition_id, name, draft, draft_updated_at, created_at)
            VALUES (@DefinitionId, @Name, @Draft, @Now, @Now) ON CONFLICT (definition_id) DO NOTHING
            """,
            new { draft.DefinitionId, draft.Name, Draft = EngineJson.Serialize(draft with { Version = null }), Now = now });
        return inserted == 1;
    }

    public async Task<bool> UpdateDraftAsync(PlaybookDefinition draft, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE definitions SET name = @Name, draft = @Draft, draft_updated_at = @Now WHERE definition_id = @DefinitionId",
            new { draft.DefinitionId, draft.Name, Draft = EngineJson.Serialize(draft with { Version = null }), Now = EngineJson.Millis(clock.GetUtcNow()) }) == 1;
    }

    public async Task<PlaybookDefinition?> GetDraftAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var draft = await connection.QuerySingleOrDefaultAsync<string>("SELECT draft FROM definitions WHERE definition_id = @definitionId", new { definitionId });
        return draft is null ? null : EngineJson.Deserialize<PlaybookDefinition>(draft);
    }

    public async Task<PlaybookDefinition?> GetVersionAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var document = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT document FROM definition_versions WHERE definition_id = @definitionId AND version = @version", new { definitionId, version });
        return document is null ? null : EngineJson.Deserialize<PlaybookDefinition>(document);
    }

    /// <summary>What the published set is now (<see cref="Triggers.TriggerIndex.PublishedSql"/>); null on SQLite, where one process publishes.</summary>
    public async Task<string?> PublishedSetAsync(CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Postgres) return null;
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(Triggers.TriggerIndex.PublishedSql);
    }

    /// <summary>The version new runs use, or null when the playbook is not published.</summary>
    public async Task<int?> PublishedVersionAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<int?>(
            "SELECT published_version FROM definitions WHERE definition_id = @definitionId AND archived = 0", new { definitionId });
    }

    /// <summary>Copies the draft into version latest+1 and makes it the one new runs use.</summary>
    public async Task<int> PublishAsync(PlaybookDefinition draft, string? note, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await connection.ExecuteScalarAsync<int>(
            "UPDATE definitions SET latest_version = latest_version + 1 WHERE definition_id = @DefinitionId RETURNING latest_version",
            new { draft.DefinitionId }, transaction);
        var now = EngineJson.Millis(clock.GetUtcNow());
        await connection.ExecuteAsync(
            "INSERT INTO definition_versions (definition_id, version, document, note, published_at) VALUES (@DefinitionId, @version, @Document, @note, @now)",
            new { draft.DefinitionId, version, Document = EngineJson.Serialize(draft with { Version = version }), note, now }, transaction);
        await connection.ExecuteAsync(
            "UPDATE definitions SET published_version = @version, archived = 0 WHERE definition_id = @DefinitionId", new { draft.DefinitionId, version }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<bool> UnpublishAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE definitions SET published_version = NULL WHERE definition_id = @definitionId", new { definitionId }) == 1;
    }

    public async Task<bool> ArchiveAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE definitions SET archived = 1, published_version = NULL WHERE definition_id = @definitionId", new { definitionId }) == 1;
    }

    public async Task<IReadOnlyList<DefinitionVersionInfo>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Version, string? Note, long PublishedAt)>(
            "SELECT version, note, published_at FROM definition_versions WHERE definition_id = @definitionId ORDER BY version DESC", new { definitionId });
        var published = await PublishedVersionAsync(definitionId, cancellationToken);
        return rows.Select(r => new DefinitionVersionInfo(r.Version, r.Note, EngineJson.At(r.PublishedAt), r.Version == published)).ToList();
    }

    public async Task<IReadOnlyList<DefinitionSummary>> ListAsync(bool includeArchived, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string DefinitionId, string Name, int? PublishedVersion, int LatestVersion, long Archived, long DraftUpdatedAt, long Running)>(
            """
            SELECT d.definition_id, d.name, d.published_version, d.latest_version, d.archived, d.draft_updated_at,
                   (SELECT COUNT(*) FROM instances i WHERE i.definition_id = d.definition_id AND i.status = 'running') AS running
            FROM definitions d WHERE @includeArchived = 1 OR d.archived = 0 ORDER BY d.name
            """, new { includeArchived = includeArchived ? 1 : 0 });
        return rows.Select(r => new DefinitionSummary(r.DefinitionId, r.Name,
            r.Archived == 1 ? "archived" : r.PublishedVersion is null ? "draft" : "published",
            r.PublishedVersion, r.LatestVersion, (int)r.Running, EngineJson.At(r.DraftUpdatedAt))).ToList();
    }

    /// <summary>Every published version, for the trigger index at start-up.</summary>
    public async Task<IReadOnlyList<PlaybookDefinition>> PublishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var documents = await connection.QueryAsync<string>(
            """
            SELECT v.document FROM definitions d
            JOIN definition_versions v ON v.definition_id = d.definition_id AND v.version = d.published_version
            WHERE d.archived = 0
            """);
        return documents.Select(EngineJson.Deserialize<PlaybookDefinition>).ToList();
    }
}

public sealed record DefinitionVersionInfo(int Version, string? Note, DateTimeOffset PublishedAt, bool IsPublished);

/// <param name="Status">draft (never or no longer published), published, or archived.</param>
public sealed record DefinitionSummary(string DefinitionId, string Name, string Status, int? PublishedVersion, int LatestVersion, int RunningInstances, DateTimeOffset LastChange);
