namespace Playbooks.Notifications.Recipients;

/// <summary>A rule that yields nobody to send to, e.g. an invalid address or no contact with the role asked for.</summary>
/// <param name="Field">Where in the request, e.g. <c>recipients[1].address</c>.</param>
/// <param name="Key">What identifies the refused recipient in the delivery log (the address, or the rule when there is none).</param>
public sealed record RecipientProblem(string Field, string Key, string Message);
