using Playbooks.Storage;

namespace Playbooks.Tasks.Storage;

/// <summary>The tasks service's schema, step by step.</summary>
public static class TasksMigrations
{
    public static readonly IReadOnlyList<Migration> All = [];
}
