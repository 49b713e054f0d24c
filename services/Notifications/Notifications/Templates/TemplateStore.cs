using System.Collections.Concurrent;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Notifications.Templates;

/// <summary>The saved templates. Each save bumps the version, which is what compiled templates are cached by.</summary>
public sealed class TemplateStore(ServiceDatabase database, TimeProvider time)
{
    // Requests render against templates read moments ago rather than one database read each: edits made here show at
    // once (they evict), edits made on another replica within this long.
    private static readonly TimeSpan RecentFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (NotificationTemplate? Template, long ReadAt)> _recent = new(StringComparer.Ordinal);

    private const string Columns = """
        id AS Id, name AS Name, channel AS Channel, subject AS Subject, text_body AS TextBody, html_body AS HtmlBody,
        urgent AS Urgent, shipped AS Shipped, version AS Version, updated_at AS UpdatedAt
        """;

    public async Task<IReadOnlyList<NotificationTemplate>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM templates ORDER BY id")).Select(row => row.ToTemplate()).ToList();
    }

    public async Task<NotificationTemplate?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM templates WHERE id = @id", new { id }))?.ToTemplate();
    }

    /// <summary>The template as read at most a couple of seconds ago: for rendering requests, not for the API.</summary>
    public async Task<NotificationTemplate?> FindRecentAsync(string id, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(id, out var recent) && time.GetElapsedTime(recent.ReadAt) < RecentFor) return recent.Template;
        var template = await FindAsync(id, cancellationToken);
        _recent[id] = (template, time.GetTimestamp());
        return template;
    }

    /// <summary>Adds a template; false when one with this id exists (it is left as it is).</summary>
    public async Task<bool> AddAsync(TemplateInput input, bool shipped, CancellationToken cancellationToken)
    {
        _recent.TryRemove(input.Id!, out _);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO templates (id, name, channel, subject, text_body, html_body, urgent, shipped, version, updated_at)
            VALUES (@Id, @Name, @Channel, @Subject, @TextBody, @HtmlBody, @Urgent, @Shipped, 1, @Now)
            ON CONFLICT (id) DO NOTHING
            """,
            Parameters(input, shipped)) == 1;
    }

    /// <summary>Replaces an existing template's content; false when there is none.</summary>
    public async Task<bool> UpdateAsync(TemplateInput input, CancellationToken cancellationToken)
    {
        _recent.TryRemove(input.Id!, out _);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE templates SET name = @Name, channel = @Channel, subject = @Subject, text_body = @TextBody, html_body = @HtmlBody,
                urgent = @Urgent, version = version + 1, updated_at = @Now
            WHERE id = @Id
            """,
            Parameters(input, shipped: false)) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        _recent.TryRemove(id, out _);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM templates WHERE id = @id AND shipped = 0", new { id }) == 1;
    }

    private object Parameters(TemplateInput input, bool shipped) => new
    {
        input.Id, input.Name, input.Channel, input.Subject, input.TextBody, input.HtmlBody,
        Urgent = input.Urgent == true ? 1 : 0, Shipped = shipped ? 1 : 0, Now = time.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Channel { get; init; } = "";
        public string? Subject { get; init; }
        public string TextBody { get; init; } = "";
        public string? HtmlBody { get; init; }
        public int Urgent { get; init; }
        public int Shipped { get; init; }
        public int Version { get; init; }
        public long UpdatedAt { get; init; }

        public NotificationTemplate ToTemplate() =>
            new(Id, Name, Channel, Subject, TextBody, HtmlBody, Urgent == 1, Shipped == 1, Version, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }
}
