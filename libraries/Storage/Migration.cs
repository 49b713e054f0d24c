namespace Playbooks.Storage;

/// <summary>One step of a service's schema, written for each provider; versions only grow.</summary>
public sealed record Migration(int Version, string Name, string Sqlite, string Postgres)
{
    public string For(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? Sqlite : Postgres;
}
