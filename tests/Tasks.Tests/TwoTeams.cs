namespace Playbooks.Tasks.Tests;

/// <summary>Three CSMs with names no other test uses: Alice and Carol in one team, Bob in another.</summary>
public sealed class TwoTeams
{
    public string Alice { get; } = $"{Requests.Unique("alice")}@example.com";
    public string Carol { get; } = $"{Requests.Unique("carol")}@example.com";
    public string Bob { get; } = $"{Requests.Unique("bob")}@example.com";
    public string Enterprise { get; } = Requests.Unique("enterprise");
    public string Smb { get; } = Requests.Unique("smb");
}
