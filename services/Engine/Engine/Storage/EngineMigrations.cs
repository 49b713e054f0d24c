using Playbooks.Storage;

namespace Playbooks.Engine.Storage;

/// <summary>The engine service's schema, step by step.</summary>
public static class EngineMigrations
{
    public static readonly IReadOnlyList<Migration> All = [];
}
