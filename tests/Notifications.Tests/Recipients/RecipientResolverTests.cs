using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Channels.Chat;
using Playbooks.Notifications.Recipients;
using Playbooks.Notifications.Tests.Support;
using Xunit;

namespace Playbooks.Notifications.Tests.Recipients;

public sealed class RecipientResolverTests
{
    private static readonly AccountSnapshot Account = Requests.Account("x") with
    {
        Contacts = [new AccountContact("Ada", "Ada.X@globex.example", "Admin"), new AccountContact("Jordan", "jordan.lee.x@playbooks.example", "admin")],
    };

    [Fact]
    public void Chat_to_a_person_without_a_configured_webhook_names_the_missing_setting()
    {
        var (recipients, problems) = new RecipientResolver(new ChatOptions()).Resolve(Account, "chat", [new RecipientRule("owner")]);

        Assert.Empty(recipients);
        var problem = Assert.Single(problems);
        Assert.Equal("recipients[0]", problem.Field);
        Assert.Contains("Missing webhook URL", problem.Message);
        Assert.Contains("Notifications:Chat:WebhookUrl", problem.Message);
    }

    [Fact]
    public void Roles_match_case_insensitively_and_a_person_named_twice_gets_one_delivery()
    {
        var (recipients, problems) = new RecipientResolver(new ChatOptions()).Resolve(Account, "email",
            [new RecipientRule("contacts", Role: "ADMIN"), new RecipientRule("owner"), new RecipientRule("address", Address: "ada.x@globex.example")]);

        Assert.Empty(problems);
        Assert.Equal(["ada.x@globex.example", "jordan.lee.x@playbooks.example"], recipients.Select(r => r.Address));
        Assert.Equal(Audience.Customer, recipients[0].Audience);
    }

    [Fact]
    public void Team_members_are_greeted_by_their_contact_name_or_one_made_from_their_address()
    {
        var (recipients, _) = new RecipientResolver(new ChatOptions()).Resolve(Account, "in-app", [new RecipientRule("manager"), new RecipientRule("user", User: "riley.o-neil@playbooks.example")]);

        Assert.Equal(["Sam Rivera X", "Riley O Neil"], recipients.Select(r => r.Contact.Name));
        Assert.All(recipients, r => Assert.Equal(Audience.Team, r.Audience));
    }

    [Fact]
    public void A_chat_rule_with_a_webhook_address_posts_there()
    {
        var (recipients, _) = new RecipientResolver(new ChatOptions { WebhookUrl = "https://hooks.example/team" })
            .Resolve(Account, "chat", [new RecipientRule("address", Address: "https://hooks.example/customer"), new RecipientRule("manager")]);

        Assert.Equal(["https://hooks.example/customer", "https://hooks.example/team"], recipients.Select(r => r.WebhookUrl));
    }
}
