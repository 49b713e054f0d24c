namespace Playbooks.Notifications.Recipients;

/// <summary>The <c>RecipientRule.Kind</c> values.</summary>
public static class RecipientKinds
{
    public const string Owner = "owner";
    public const string Manager = "manager";
    public const string Contacts = "contacts";
    public const string Address = "address";
    public const string User = "user";

    public static readonly IReadOnlyList<string> All = [Owner, Manager, Contacts, Address, User];
}
