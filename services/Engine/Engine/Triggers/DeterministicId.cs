using System.Security.Cryptography;
using System.Text;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Instance ids derived from what started them (event id, playbook, account, due time): a redelivered event or a second
/// replica firing the same due time computes the same id, and the insert refuses the duplicate.
/// </summary>
public static class DeterministicId
{
    public static string From(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..32];
}
