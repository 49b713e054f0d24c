using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Channels;
using Playbooks.Notifications.Channels.Chat;

namespace Playbooks.Notifications.Recipients;

/// <summary>
/// Turns a request's recipient rules into the people (or chat rooms) to send to, using only the account snapshot the
/// engine sent. Each person gets one delivery even when several rules name them.
/// </summary>
public sealed class RecipientResolver(ChatOptions chat)
{
    public (IReadOnlyList<Recipient> Recipients, IReadOnlyList<RecipientProblem> Problems) Resolve(
        AccountSnapshot account, string channel, IReadOnlyList<RecipientRule> rules)
    {
        var recipients = new List<Recipient>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<RecipientProblem>();
        if (rules.Count == 0) problems.Add(new("recipients", "(none)", "The request names no recipients: add at least one rule (owner, manager, contacts, address or user)."));
        for (var index = 0; index < rules.Count; index++)
        {
            var field = $"recipients[{index}]";
            foreach (var (recipient, problem) in ResolveRule(account, channel, rules[index], field))
            {
                if (problem is not null) problems.Add(problem);
                else if (seen.Add(recipient!.Address)) recipients.Add(recipient);
            }
        }
        return (recipients, problems);
    }

    private IEnumerable<(Recipient?, RecipientProblem?)> ResolveRule(AccountSnapshot account, string channel, RecipientRule rule, string field)
    {
        switch (rule.Kind)
        {
            case RecipientKinds.Owner:
                yield return TeamMember(account, channel, account.OwnerCsm, "owner CSM", field, $"Account '{account.Id}' has no owner CSM to notify.");
                break;
            case RecipientKinds.Manager:
                yield return TeamMember(account, channel, account.CsmManager, "CSM manager", field, $"Account '{account.Id}' has no CSM manager to notify.");
                break;
            case RecipientKinds.User:
                yield return TeamMember(account, channel, rule.User, "user", $"{field}.user", "A 'user' rule needs the user's id (their email address) in 'user'.");
                break;
            case RecipientKinds.Contacts:
                foreach (var result in Contacts(account, channel, rule.Role, field)) yield return result;
                break;
            case RecipientKinds.Address:
                yield return ExplicitAddress(account, channel, rule.Address, $"{field}.address");
                break;
            default:
                yield return (null, new(field + ".kind", $"rule:{rule.Kind}", $"Unknown recipient kind '{rule.Kind}'. Use {string.Join(", ", RecipientKinds.All)}."));
                break;
        }
    }

    private (Recipient?, RecipientProblem?) TeamMember(AccountSnapshot account, string channel, string? user, string role, string field, string missing)
    {
        if (string.IsNullOrWhiteSpace(user)) return (null, new(field, $"rule:{role}", missing));
        if (!EmailAddresses.IsValid(user)) return (null, new(field, user, $"The {role} id {EmailAddresses.Invalid(user)}"));
        var contact = account.Contacts.FirstOrDefault(c => Same(c.Email, user)) ?? new AccountContact(EmailAddresses.NameFrom(user), user, role);
        return Addressed(channel, new Recipient(user.ToLowerInvariant(), contact.Name, Audience.Team, contact), field);
    }

    private IEnumerable<(Recipient?, RecipientProblem?)> Contacts(AccountSnapshot account, string channel, string? role, string field)
    {
        var chosen = account.Contacts.Where(contact => role is null || string.Equals(contact.Role, role, StringComparison.OrdinalIgnoreCase)).ToList();
        if (chosen.Count == 0)
        {
            var which = role is null ? "no contacts" : $"no contact with role '{role}'";
            yield return (null, new(field, $"rule:contacts:{role}", $"Account '{account.Id}' has {which}."));
            yield break;
        }
        foreach (var contact in chosen)
        {
            if (!EmailAddresses.IsValid(contact.Email))
                yield return (null, new(field, contact.Email ?? "(none)", $"Contact '{contact.Name}': {EmailAddresses.Invalid(contact.Email)}"));
            else
                yield return Addressed(channel, new Recipient(contact.Email!.ToLowerInvariant(), contact.Name, Audience.Customer, contact), field);
        }
    }

    private (Recipient?, RecipientProblem?) ExplicitAddress(AccountSnapshot account, string channel, string? address, string field)
    {
        if (channel == ChannelNames.Chat)
        {
            // For chat an address is the webhook of a room, e.g. the customer's shared channel.
            if (!WebhookUrls.IsValid(address))
                return (null, new(field, address ?? "(none)", $"For chat, 'address' is the webhook URL to post to; '{address}' is not an absolute http(s) URL."));
            return (new Recipient(address!, null, Audience.Customer, new AccountContact(account.Name, "", "channel"), address), null);
        }
        if (!EmailAddresses.IsValid(address)) return (null, new(field, address ?? "(none)", EmailAddresses.Invalid(address)));
        var contact = account.Contacts.FirstOrDefault(c => Same(c.Email, address!)) ?? new AccountContact(EmailAddresses.NameFrom(address!), address!, "");
        var audience = channel == ChannelNames.InApp ? Audience.Team : Audience.Customer;
        return (new Recipient(address!.ToLowerInvariant(), contact.Name, audience, contact), null);
    }

    // Chat messages to a person go to the CS team's configured room; without one there is nowhere to post.
    private (Recipient?, RecipientProblem?) Addressed(string channel, Recipient recipient, string field)
    {
        if (channel != ChannelNames.Chat) return (recipient, null);
        if (chat.WebhookUrl is null)
            return (null, new(field, recipient.Address,
                $"Missing webhook URL: a chat message to {recipient.Address} needs Notifications:Chat:WebhookUrl configured, or an 'address' rule with the room's webhook URL."));
        return (recipient with { WebhookUrl = chat.WebhookUrl }, null);
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
