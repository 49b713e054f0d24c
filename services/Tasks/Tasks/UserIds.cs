namespace Playbooks.Tasks;

/// <summary>
/// People are named by email address (as in the engine's account snapshot); addresses are compared case-blind,
/// so they are stored lower-cased and "Alice@Acme.io" finds alice@acme.io's tasks.
/// </summary>
public static class UserIds
{
    public static string? Normalize(string? user) => string.IsNullOrWhiteSpace(user) ? null : user.Trim().ToLowerInvariant();
}
